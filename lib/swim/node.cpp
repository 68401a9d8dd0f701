// swell::Node: the public face of NodeCore.
#include "swell/node.h"

#include "swim/node_core.h"
#include "swim/shared_caches.h"

namespace swell {

Result<Node> Node::create(Identity identity, const Config& config, PeerInfo info, std::string swim_address, Rng rng,
                          Time now) {
  return swim::NodeFactory::create(std::move(identity), config, std::move(info), std::move(swim_address), rng, now,
                                   swim::SharedCaches{});
}

Result<Node> swim::NodeFactory::create(Identity identity, const Config& config, PeerInfo info,
                                       std::string swim_address, Rng rng, Time now, SharedCaches shared) {
  if (auto valid = config.validate(); !valid.ok()) return valid.error();
  // A cache of another scope would verify claims or derive keys as another cluster does.
  if (shared.claims && shared.claims->label() != config.cluster_label) {
    return Error{ErrorCode::invalid_argument, "shared claim cache verifies for cluster label \"" +
                                                  shared.claims->label() + "\", not this node's \"" +
                                                  config.cluster_label + "\""};
  }
  if (shared.pair_keys && shared.pair_keys->scope() != key_scope_of(config)) {
    return Error{ErrorCode::invalid_argument,
                 "shared pair-key source derives keys of another cluster label or encrypt setting"};
  }
  auto core = std::make_unique<NodeCore>(std::move(identity), config, rng, std::move(shared));
  if (auto started = core->start(std::move(info), std::move(swim_address), now); !started.ok()) {
    return started.error();
  }
  return Node(std::move(core));
}

namespace {

// Any input may change who is live or what a member announces: contested names are
// settled before the driver drains the events (NodeCore::settle_names).
template <class R>
R settled(NodeCore& core, Time now, R result) {
  core.settle_names(now);
  return result;
}

}  // namespace

Node::Node(std::unique_ptr<NodeCore> core) : core_(std::move(core)) {}
Node::Node(Node&&) noexcept = default;
Node& Node::operator=(Node&&) noexcept = default;
Node::~Node() = default;

Result<void> Node::join(const std::vector<std::string>& seeds, Time now) {
  return settled(*core_, now, core_->join(seeds, now));
}
Result<void> Node::leave(Time now) { return settled(*core_, now, core_->leave(now)); }
Result<void> Node::force_leave(const NodeId& member, Time now) {
  return settled(*core_, now, core_->force_leave(member, now));
}
Result<void> Node::set_local_info(PeerInfo info, Time now) {
  return settled(*core_, now, core_->set_local_info(std::move(info), now));
}
Result<void> Node::apply_revocation(ByteView signed_revocation, Time now) {
  return settled(*core_, now, core_->apply_revocation(signed_revocation, now));
}
void Node::set_allowlist(std::vector<NodeId> keys, Time now) {
  core_->set_allowlist(std::move(keys), now);
  core_->settle_names(now);
}
Result<void> Node::set_trusted_cas(std::vector<NodeId> keys, Time now) {
  return settled(*core_, now, core_->set_trusted_cas(std::move(keys), now));
}
Result<void> Node::rotate_key(Identity next, Bytes certificate, Time now) {
  return core_->rotate_key(std::move(next), std::move(certificate), now);
}
std::vector<NodeId> Node::revoked_keys() const { return core_->revoked_keys(); }
Result<void> Node::receive(std::string_view from, ByteView datagram, Time now) {
  return settled(*core_, now, core_->receive(from, datagram, now));
}
Result<Bytes> Node::handle_stream(std::string_view from, ByteView request, Time now) {
  return settled(*core_, now, core_->handle_stream(from, request, now));
}
Result<void> Node::stream_response(std::uint64_t stream_id, ByteView response, Time now) {
  return settled(*core_, now, core_->stream_response(stream_id, response, now));
}
void Node::stream_failed(std::uint64_t stream_id, Time now) {
  core_->stream_failed(stream_id, now);
  core_->settle_names(now);
}
void Node::tick(Time now) {
  core_->tick(now);
  core_->settle_names(now);
}
Time Node::next_tick() const { return core_->next_tick(); }
std::vector<OutgoingDatagram> Node::drain_datagrams() { return core_->drain_datagrams(); }
std::vector<StreamRequest> Node::drain_streams() { return core_->drain_streams(); }
std::vector<MembershipEvent> Node::drain_events() { return core_->drain_events(); }
const NodeId& Node::id() const { return core_->id(); }
std::vector<MemberSnapshot> Node::members() const { return core_->members(); }
std::size_t Node::count(MemberState state) const { return core_->count(state); }
std::optional<MemberSnapshot> Node::member(const NodeId& id) const { return core_->member(id); }
const NodeStats& Node::stats() const { return core_->stats(); }
int Node::local_health() const { return core_->local_health(); }
std::size_t Node::pending_updates() const { return core_->pending_updates(); }
ClusterMode Node::mode() const {
  return core_->mode() == majority::Mode::swim ? ClusterMode::swim : ClusterMode::majority;
}
std::uint64_t Node::mode_epoch() const { return core_->mode_epoch(); }

}  // namespace swell

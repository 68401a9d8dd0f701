// swell::Agent: the thread-safe handle over AgentShared and the loop side.
#include "swell/agent.h"

#include <future>

#include "runtime/agent_loop.h"
#include "runtime/agent_shared.h"
#include "runtime/random_seed.h"
#include "runtime/uv_error.h"

namespace swell {
namespace {

Result<Identity> identity_of(AgentOptions& options) {
  if (options.identity) return std::move(*options.identity);
  if (options.key_file.empty()) {
    return Error{ErrorCode::invalid_argument,
                 "AgentOptions has neither an identity nor a key_file: set one (swell-agent keygen PATH makes a key file)"};
  }
  return Identity::load(options.key_file);
}

// Runs the agent's own loop until every handle is closed, then frees it.
void run_own_loop(uv_loop_t* loop) {
  uv_run(loop, UV_RUN_DEFAULT);
  uv_loop_close(loop);
  delete loop;
}

const std::string kNoAddress;
const NodeId kNoId;

}  // namespace

Result<Agent> Agent::start(AgentOptions options) {
  (void)runtime::random_seed();  // initialises libsodium
  if (auto valid = options.config.validate(); !valid.ok()) return valid.error();
  if (!(options.faults.inbound_loss >= 0 && options.faults.inbound_loss <= 1)) {
    return Error{ErrorCode::invalid_argument, "faults.inbound_loss must be 0..1"};
  }
  auto identity = identity_of(options);
  if (!identity.ok()) return identity.error();
  auto shared = std::make_shared<AgentShared>(options.event_queue_capacity);
  if (options.loop != nullptr) {
    shared->loop_thread = std::this_thread::get_id();
    if (auto started = runtime::AgentLoop::start(options.loop, options, std::move(identity).value(), shared);
        !started.ok()) {
      return started.error();
    }
    return Agent(std::move(shared));
  }
  auto* loop = new uv_loop_t;
  if (const int rc = uv_loop_init(loop); rc != 0) {
    delete loop;
    return runtime::uv_error("cannot create an event loop", rc);
  }
  if (auto started = runtime::AgentLoop::start(loop, options, std::move(identity).value(), shared); !started.ok()) {
    run_own_loop(loop);  // runs the close callbacks of whatever was opened
    return started.error();
  }
  shared->thread = std::thread(run_own_loop, loop);
  shared->loop_thread = shared->thread.get_id();
  return Agent(std::move(shared));
}

Agent::Agent(std::shared_ptr<AgentShared> shared) : shared_(std::move(shared)) {}
Agent::Agent(Agent&&) noexcept = default;
Agent& Agent::operator=(Agent&& other) noexcept {
  if (this != &other) {
    stop();
    shared_ = std::move(other.shared_);
  }
  return *this;
}
Agent::~Agent() { stop(); }

std::shared_ptr<const AgentSnapshot> Agent::snapshot() const {
  return shared_ ? shared_->snapshots.read() : nullptr;
}
NodeId Agent::id() const { return shared_ ? shared_->id() : kNoId; }
const std::string& Agent::address() const { return shared_ ? shared_->address : kNoAddress; }
std::uint16_t Agent::bound_port() const { return shared_ ? shared_->port : 0; }

Result<void> Agent::set_local_info(PeerInfo info) {
  if (!shared_) return Error{ErrorCode::not_running, "moved-from Agent"};
  info.owner = shared_->id();
  if (info.version == 0) info.version = 1;  // the node sets the real one
  if (auto valid = validate(info, shared_->info_limits); !valid.ok()) return valid;
  return shared_->post([info = std::move(info)](runtime::AgentLoop& loop) mutable {
    loop.set_local_info(std::move(info));
  });
}

namespace {

// Runs a call on the loop and waits for its result: the loop owns the node.
Result<void> call_on_loop(AgentShared& shared, std::function<Result<void>(runtime::AgentLoop&)> call) {
  if (shared.on_loop_thread()) {
    return Error{ErrorCode::invalid_argument, "this call waits for the loop thread it was made on"};
  }
  auto promise = std::make_shared<std::promise<Result<void>>>();
  auto future = promise->get_future();
  auto posted = shared.post([promise, call = std::move(call)](runtime::AgentLoop& loop) {
    promise->set_value(call(loop));
  });
  if (!posted.ok()) return posted;
  if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    return Error{ErrorCode::io, "the agent's loop did not answer within 5 s: is the loop still running?"};
  }
  return future.get();
}

}  // namespace

Result<void> Agent::join(const std::vector<std::string>& seeds) {
  if (!shared_) return Error{ErrorCode::not_running, "moved-from Agent"};
  for (const std::string& seed : seeds) {
    if (auto valid = validate_address(seed); !valid.ok()) {
      return Error{ErrorCode::invalid_argument, "seed address: " + valid.error().message};
    }
  }
  return call_on_loop(*shared_, [seeds](runtime::AgentLoop& loop) { return loop.join(seeds); });
}

Result<void> Agent::force_leave(const NodeId& member) {
  if (!shared_) return Error{ErrorCode::not_running, "moved-from Agent"};
  return call_on_loop(*shared_, [member](runtime::AgentLoop& loop) { return loop.force_leave(member); });
}

Result<void> Agent::rotate_key(Identity next, Bytes certificate) {
  if (!shared_) return Error{ErrorCode::not_running, "moved-from Agent"};
  // A command must be copyable and an Identity is not: share it into the call.
  auto identity = std::make_shared<Identity>(std::move(next));
  return call_on_loop(*shared_, [identity, certificate = std::move(certificate)](runtime::AgentLoop& loop) {
    return loop.rotate_key(std::move(*identity), certificate);
  });
}

Result<void> Agent::apply_revocation(Bytes signed_revocation) {
  if (!shared_) return Error{ErrorCode::not_running, "moved-from Agent"};
  return shared_->post([bytes = std::move(signed_revocation)](runtime::AgentLoop& loop) {
    (void)loop.apply_revocation(bytes);  // counted in NodeStats when refused
  });
}

Result<void> Agent::set_allowlist(std::vector<NodeId> keys) {
  if (!shared_) return Error{ErrorCode::not_running, "moved-from Agent"};
  return shared_->post([keys = std::move(keys)](runtime::AgentLoop& loop) mutable { loop.set_allowlist(std::move(keys)); });
}

Result<void> Agent::begin_leave(Duration timeout, std::function<void()> done) {
  if (!shared_) return Error{ErrorCode::not_running, "moved-from Agent"};
  return shared_->post([timeout, done = std::move(done)](runtime::AgentLoop& loop) mutable {
    loop.begin_leave(timeout, std::move(done));
  });
}

Result<void> Agent::leave(Duration timeout) {
  if (!shared_) return Error{ErrorCode::not_running, "moved-from Agent"};
  if (shared_->on_loop_thread()) {
    return Error{ErrorCode::invalid_argument,
                 "leave() would block the loop thread it waits for; call begin_leave() there"};
  }
  auto promise = std::make_shared<std::promise<void>>();
  auto future = promise->get_future();
  if (auto posted = begin_leave(timeout, [promise] { promise->set_value(); }); !posted.ok()) return posted;
  // The loop finishes the leave by the timeout; the margin covers a busy loop.
  if (future.wait_for(timeout + std::chrono::seconds(5)) != std::future_status::ready) {
    return Error{ErrorCode::io, "the agent's loop did not finish the leave: is the loop still running?"};
  }
  return success();
}

void Agent::stop() {
  if (!shared_) return;
  (void)shared_->post([](runtime::AgentLoop& loop) { loop.stop(); });  // fails once already stopping
  shared_->release_thread();
}

bool Agent::stopped() const { return !shared_ || shared_->stopped.load(std::memory_order_acquire); }

std::optional<MembershipEvent> Agent::poll_event() {
  if (!shared_ || !shared_->events) return std::nullopt;
  return shared_->events->try_pop();
}

Result<void> Agent::set_faults(FaultInjection faults) {
  if (!shared_) return Error{ErrorCode::not_running, "moved-from Agent"};
  return shared_->post([faults = std::move(faults)](runtime::AgentLoop& loop) { loop.set_faults(faults); });
}

}  // namespace swell

#include "agent/wire_demo.h"

#include <iomanip>
#include <optional>
#include <string>
#include <vector>

#include "crypto/claim_auth.h"
#include "crypto/sealed_envelope.h"
#include "wire/message_text.h"
#include "wire/messages.h"

namespace swell::agent {
namespace {

using namespace swell::wire;

// One side of the demo: its identity and the pairwise key it shares with the other.
struct Side {
  const char* name;
  Identity identity;
  crypto::MacKey key_with_peer{};
  bool peer_knows_me = false;  // after first contact the sender is named compactly
  std::uint64_t next_seq = 1;
};

PeerInfo demo_info(const Identity& owner, const std::string& id, const std::string& address, NodeType type) {
  PeerInfo info;
  info.id = id;
  info.address = address;
  info.metrics_port = 9090;
  info.node_type = type;
  info.is_load_balancer = type == NodeType::proxy;
  info.last_updated_ms = 1764000000000;
  info.version = 1;
  info.owner = owner.id();
  info.metadata = {'g', 'p', 'u', '=', '8'};
  return info;
}

Bytes claim_body(const Identity& author, const Claim& claim) {
  Bytes body;
  encode_signed_claim(crypto::make_signed_claim(author, claim).value(), body);
  return body;
}

class Demo {
 public:
  explicit Demo(std::ostream& out) : out_(out) {}

  // Seals messages from `from` to `to`, then opens, verifies and prints them at `to`.
  bool exchange(Side& from, Side& to, const std::vector<std::pair<MessageKind, Bytes>>& messages,
                std::size_t budget = 1400) {
    DatagramBuilder builder(budget);
    builder.begin(!from.peer_knows_me, from.identity.id(), from.next_seq++);
    for (const auto& [kind, body] : messages) {
      if (!builder.add(kind, body)) {
        out_ << "  message does not fit the " << budget << "-byte budget\n";
        return false;
      }
    }
    Bytes datagram;
    crypto::seal_envelope(builder, from.key_with_peer, datagram);

    EnvelopeView env;
    const Side& sender = from;
    auto lookup = [&](const SenderName& s) {
      const bool match = s.full ? s.id == sender.identity.id() : s.prefix == sender.identity.id().prefix64();
      return crypto::SenderKey{sender.identity.id(), match ? &to.key_with_peer : nullptr};
    };
    auto opened = crypto::open_envelope(datagram, budget, limits_, lookup, env);
    out_ << std::left << std::setw(20) << to_string(env.kind) << from.name << " -> " << to.name << "  "
         << std::right << std::setw(5) << datagram.size() << " bytes  seq=" << env.seq
         << "  sender=" << (env.sender.full ? "full key" : "8-byte name");
    if (!opened.ok()) {
      out_ << "  REJECTED: " << opened.error().message << "\n";
      return false;
    }
    out_ << "  mac ok\n";
    from.peer_knows_me = true;
    for (const MessageView& m : env.messages) {
      std::string verdict;
      if (is_claim(m.kind)) {
        auto split = decode_signed_claim(m.body);
        auto verified = split.ok() ? crypto::verify_claim(split.value(), limits_) : Result<Claim>(split.error());
        verdict = verified.ok() ? "signature ok: " : "SIGNATURE REJECTED (" + verified.error().message + "): ";
      }
      out_ << "    " << verdict << describe_message(m.kind, m.body, limits_) << "\n";
    }
    last_ = std::move(datagram);
    return true;
  }

  [[nodiscard]] const Bytes& last_datagram() const { return last_; }

 private:
  std::ostream& out_;
  DecodeLimits limits_;
  Bytes last_;
};

// The three members of the demo: A and B talk, C is talked about.
struct Cast {
  Side a;
  Side b;
  Identity c;
};

std::optional<Cast> make_cast(std::ostream& out) {
  auto made_a = Identity::generate();
  auto made_b = Identity::generate();
  auto made_c = Identity::generate();
  if (!made_a.ok() || !made_b.ok() || !made_c.ok()) {
    out << "cannot generate identities\n";
    return std::nullopt;
  }
  Cast cast{Side{"A", std::move(made_a.value())}, Side{"B", std::move(made_b.value())}, std::move(made_c.value())};
  auto ab = crypto::derive_mac_key(cast.a.identity, cast.b.identity.id());
  auto ba = crypto::derive_mac_key(cast.b.identity, cast.a.identity.id());
  if (!ab.ok() || !ba.ok()) {
    out << "cannot derive pairwise keys\n";
    return std::nullopt;
  }
  cast.a.key_with_peer = ab.value();
  cast.b.key_with_peer = ba.value();
  return cast;
}

std::pair<MessageKind, Bytes> msg(MessageKind kind, Bytes bytes) { return {kind, std::move(bytes)}; }

// ping, ack, ping-req, nack.
bool exchange_probes(Demo& demo, Cast& cast) {
  Bytes body;
  bool ok = true;
  encode_ping(body);
  ok &= demo.exchange(cast.a, cast.b, {msg(MessageKind::ping, body)});
  body.clear();
  encode_ack(1, body);
  ok &= demo.exchange(cast.b, cast.a, {msg(MessageKind::ack, body)});
  body.clear();
  encode_ping_req(PingReq{cast.c.id(), "10.0.0.3:7946"}, body);
  ok &= demo.exchange(cast.a, cast.b, {msg(MessageKind::ping_req, body)});
  body.clear();
  encode_nack(2, body);
  ok &= demo.exchange(cast.b, cast.a, {msg(MessageKind::nack, body)});
  return ok;
}

// The signed claims, a push-pull both ways, a majority view and a compound datagram.
bool exchange_claims(Demo& demo, Cast& cast) {
  const Identity& a = cast.a.identity;
  const Identity& c = cast.c;
  bool ok = true;
  const AliveClaim alive_a{demo_info(a, "proxy-a", "10.0.0.1:3000", NodeType::proxy), "10.0.0.1:7946"};
  ok &= demo.exchange(cast.a, cast.b, {msg(MessageKind::alive, claim_body(a, alive_a))});
  ok &= demo.exchange(cast.a, cast.b, {msg(MessageKind::suspect, claim_body(a, SuspectClaim{a.id(), c.id(), 4}))});
  ok &= demo.exchange(cast.a, cast.b, {msg(MessageKind::dead, claim_body(a, DeadClaim{a.id(), c.id(), 4}))});
  ok &= demo.exchange(cast.a, cast.b, {msg(MessageKind::leave, claim_body(a, LeaveClaim{a.id(), 2}))});

  PushPull state;
  state.join = true;
  state.members.push_back({MemberStatus::alive, crypto::make_signed_claim(a, alive_a).value(), std::nullopt});
  const AliveClaim alive_c{demo_info(c, "backend-c", "10.0.0.3:3000", NodeType::backend), "10.0.0.3:7946"};
  state.members.push_back({MemberStatus::suspect, crypto::make_signed_claim(c, alive_c).value(),
                           crypto::make_signed_claim(a, SuspectClaim{a.id(), c.id(), 1}).value()});
  Bytes body;
  encode_push_pull(state, body);
  ok &= demo.exchange(cast.a, cast.b, {msg(MessageKind::push_pull_request, body)}, 1 << 16);
  state.join = false;
  body.clear();
  encode_push_pull(state, body);
  ok &= demo.exchange(cast.b, cast.a, {msg(MessageKind::push_pull_response, body)}, 1 << 16);

  const MajorityViewClaim view{cast.b.identity.id(), 7, {alive_a.info, alive_c.info}};
  ok &= demo.exchange(cast.b, cast.a, {msg(MessageKind::majority_view, claim_body(cast.b.identity, view))});

  Bytes ping;
  encode_ping(ping);
  ok &= demo.exchange(cast.a, cast.b, {msg(MessageKind::ping, ping), msg(MessageKind::alive, claim_body(a, alive_a)),
                                       msg(MessageKind::suspect, claim_body(a, SuspectClaim{a.id(), c.id(), 5}))});
  return ok;
}

// Flips one bit of the last datagram: B must refuse it.
bool refuses_tampering(std::ostream& out, const Demo& demo, const Cast& cast) {
  Bytes tampered = demo.last_datagram();
  tampered[tampered.size() / 2] ^= 0x01;
  EnvelopeView env;
  const NodeId& a = cast.a.identity.id();
  auto lookup = [&](const SenderName& s) {
    const bool match = s.full ? s.id == a : s.prefix == a.prefix64();
    return crypto::SenderKey{a, match ? &cast.b.key_with_peer : nullptr};
  };
  auto refused = crypto::open_envelope(tampered, 1400, DecodeLimits{}, lookup, env);
  out << "\ntampered copy of the last datagram (one bit flipped): "
      << (refused.ok() ? "ACCEPTED (bug)" : "rejected, " + std::string(to_string(refused.error().code))) << "\n";
  return !refused.ok();
}

}  // namespace

int run_wire_demo(std::ostream& out) {
  std::optional<Cast> cast = make_cast(out);
  if (!cast) return 1;
  out << "swell wire demo: two fresh Ed25519 identities exchange one datagram of every kind\n"
      << "  A = " << cast->a.identity.id().to_hex() << "\n"
      << "  B = " << cast->b.identity.id().to_hex() << "\n"
      << "  C = " << cast->c.id().to_hex() << " (a third member, talked about)\n"
      << "Datagrams carry a 16-byte BLAKE2b tag under the A-B key; claims carry their author's signature.\n\n";
  Demo demo(out);
  bool ok = exchange_probes(demo, *cast);
  ok &= exchange_claims(demo, *cast);
  ok &= refuses_tampering(out, demo, *cast);
  out << (ok ? "\nall messages authenticated, verified and decoded\n" : "\nDEMO FAILED\n");
  return ok ? 0 : 1;
}

}  // namespace swell::agent

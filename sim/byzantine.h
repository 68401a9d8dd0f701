// Byzantine: an admitted member that lies, for the scenarios and tests of the insider
// rules (docs/security.md, "Insiders"). Its node keeps running and answering like any
// other; act() adds what an insider holding only its own key can send: accusations of
// everyone, replays of claims it received, claims forged in others' names, and garbage
// datagrams and stream requests, each properly authenticated with its pairwise keys so
// that they get past the authenticator and reach the decoders and the membership rules.
//
//   ByzantineMember liar(/*member=*/3, Misbehaviour{.accuse = true}, config.cluster_label, seed);
//   world.observe_datagrams([&](auto to, auto from, const Bytes& b) { liar.saw(to, from, b); });
//   ByzantineRound r = liar.act(world);   // every few seconds of virtual time
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "swell/bytes.h"
#include "swell/identity.h"
#include "swell/rng.h"
#include "wire/envelope.h"
#include "wire/message_kind.h"

namespace swell::sim {

class World;

/// What a Byzantine member does each time it acts (any combination).
struct Misbehaviour {
  /// Signs a suspect and a dead claim about every member it knows, at the incarnation
  /// its own node holds, and sends them to every up member.
  bool accuse = false;
  /// Resends claims it received earlier (the first kMaxKept it saw: old incarnations,
  /// refuted suspicions, old verdicts) to every up member.
  bool replay = false;
  /// Sends suspect and dead claims about 8 random members that name another member as
  /// their author, signed with its own key or with 64 random bytes.
  bool forge = false;
  /// Sends datagrams of random messages and truncated claims, and push-pull stream
  /// requests with random or truncated bodies.
  bool garbage = false;
};

/// What act() sent, and how the receivers took it.
struct ByzantineRound {
  std::uint64_t datagrams = 0;         ///< Datagrams injected.
  std::uint64_t streams = 0;           ///< Stream requests injected.
  std::uint64_t claims = 0;            ///< Claims (accusations, replays, forgeries) they carried.
  std::uint64_t receive_errors = 0;    ///< Datagrams a receiver rejected whole.
  std::uint64_t stream_errors = 0;     ///< Stream requests a receiver refused.
  /// Adds other's counts to these.
  ByzantineRound& operator+=(const ByzantineRound& other);
};

/// One Byzantine member of a World.
class ByzantineMember {
 public:
  /// Claims kept for replay: the first ones seen.
  static constexpr std::size_t kMaxKept = 256;

  /// Member `member` of the world lies as `what` says; its claims are signed under
  /// cluster_label (the cluster's); random choices come from seed.
  ByzantineMember(std::uint32_t member, Misbehaviour what, std::string cluster_label, std::uint64_t seed);

  /// Feed every datagram delivered in the World (a datagram observer): those the member
  /// receives give it claims to replay, and those it sends the sequence numbers its
  /// injected datagrams must exceed to be fresh.
  void saw(std::uint32_t to, std::uint32_t from, const Bytes& bytes);
  /// Does everything `what` says once, at the world's current time; nothing if the
  /// member is down.
  ByzantineRound act(World& world);

  /// Sends target these signed claim bodies (any claims, ours or not) in as many
  /// authenticated datagrams as they need; what act() uses, for tests to lie by hand.
  ByzantineRound send_claims(World& world, std::uint32_t target, const std::vector<Bytes>& bodies);

  /// The member that lies.
  [[nodiscard]] std::uint32_t member() const { return member_; }
  /// Claims kept for replay so far.
  [[nodiscard]] std::size_t kept() const { return kept_.size(); }

 private:
  void send_garbage(World& world, std::uint32_t target, ByzantineRound& round);
  // Seals one datagram or stream message of messages to target with our pair key.
  bool seal(World& world, std::uint32_t target, const std::vector<std::pair<wire::MessageKind, Bytes>>& messages,
            std::size_t budget, Bytes& out);
  [[nodiscard]] std::vector<Bytes> accusations(World& world);
  [[nodiscard]] std::vector<Bytes> forgeries(World& world);
  Bytes random_bytes(std::size_t n);

  std::uint32_t member_;
  Misbehaviour what_;
  std::string label_;
  Rng rng_;
  std::vector<Bytes> kept_;                       // claim bodies received, first seen first
  std::map<std::uint32_t, std::uint64_t> seq_;    // highest seq sent to each member
  wire::EnvelopeView envelope_;
};

}  // namespace swell::sim

// Fuzzes the stream path end to end, as the runtime runs it: bytes read from a TCP
// connection go through runtime::FrameReader (the 4-byte length prefix, checked against
// max_stream_bytes) in the chunks the input picks, and a complete frame goes to member 0
// of a live five-member simulated cluster (live_cluster.h): to Node::handle_stream as an
// inbound push-pull or join request (what AgentLoop::answer does), or to
// Node::stream_response as the answer to one of member 0's own requests (what
// AgentLoop::response does). The libuv plumbing around them (StreamExchange) only moves
// the bytes and is not part of this target.
//
// Input format (every integer big-endian; a truncated record ends the input):
//
//   input    := record*                     at most kMaxRecords are read
//   record   := tag fields                  the record type is tag % 6
//   raw              chunk len bytes        bytes as read off the connection (length prefix
//                                           included), as a request from member 1
//   request          seal chunk len body    body as one push-pull request message, sealed
//   built_request    seal chunk state       a push-pull request built from signed claims
//   response         seal chunk len body    body as the answer to member 0's latest stream
//   built_response   seal chunk state       a built push-pull as that answer
//   advance          steps                  run the world for steps * kAdvanceStep
//
//   seal     := sender flags                sender names a party (party_of); flags bit 0:
//               compact sender name, bit 1: all-zero tag, bit 2: the other push-pull
//               kind, bit 3: a second message (a compound envelope), bit 4: a wrong
//               length prefix (one byte short)
//   chunk    := byte                        0: the frame in one read; else reads of
//                                           chunk % 64 bytes, 0 as an empty read
//   state    := flags count {party status incarnation signer}*count
//               nsummary {party incarnation status}*nsummary nwants {party}*nwants
//               flags bit 0: join, bit 1: member 0's last digest (else zero)
//
// For a response, if member 0 has no stream request pending that this target has not
// answered yet, it is made to start one (Node::join through member 1 + sender % 4,
// which is how an operator merges clusters). The world stops as soon as member 0 sends
// any stream request, so the next record can answer it before the real peer does.
//
// Invariants: FrameReader agrees with a model of the framing (need_more, complete with
// exactly the framed bytes, or oversized) whatever the chunking; every answer
// handle_stream gives is one push-pull response within max_stream_bytes from member 0,
// sealed under the pairwise key with the request's sender, that decodes; a refused
// request is counted in streams_rejected; a stream_response for a settled request is
// refused as unknown (invalid_argument); and after every input the checks of
// fuzz_node_receive on member 0 (alive, incarnation never decreasing, table within
// max_members and holding only parties, queue within max_queue_entries).
//
// The cluster is rebuilt every SWELL_FUZZ_REBUILD_EVERY inputs (default kRebuildEvery);
// SWELL_FUZZ_REBUILD_EVERY=1 replays one crash file on a fresh cluster exactly, and
// SWELL_FUZZ_VERBOSE=1 prints what member 0 made of each request and answer.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "crypto/claim_auth.h"
#include "crypto/sealed_envelope.h"
#include "invariant.h"
#include "record_reader.h"
#include "live_cluster.h"
#include "runtime/frame_reader.h"
#include "wire/claims.h"
#include "wire/datagram_builder.h"
#include "wire/envelope.h"
#include "wire/messages.h"

namespace {

using namespace swell;
using namespace swell::fuzz;

/// Inputs between rebuilds of the cluster (SWELL_FUZZ_REBUILD_EVERY overrides it).
constexpr std::uint64_t kRebuildEvery = 2000;
/// Records read from one input.
constexpr std::size_t kMaxStreamRecords = 32;
/// Record types (tag % kStreamRecordTypes).
enum class StreamRecord : std::uint8_t { raw, request, built_request, response, built_response, advance };
constexpr std::uint8_t kStreamRecordTypes = 6;
/// Push-pull rounds every few seconds instead of LAN's 30 s, so that member 0 starts
/// exchanges of its own (which the response records answer) many times per cluster.
constexpr Duration kPushPullInterval = std::chrono::seconds(2);

Config stream_config() {
  Config config = cluster_config();
  config.push_pull_interval = kPushPullInterval;
  return config;
}

using swell::fuzz::RecordReader;

using runtime::FrameReader;

// Reads stream through a FrameReader as StreamExchange::on_read does (one feed per read,
// stopping once the frame is complete or oversized), checks the outcome against the
// framing rule, and returns the frame when one is complete.
std::optional<Bytes> read_frame(ByteView stream, std::uint8_t chunk, std::size_t max_bytes) {
  FrameReader reader(max_bytes);
  FrameReader::Status status = FrameReader::Status::need_more;
  const std::size_t step = chunk == 0 ? std::max<std::size_t>(stream.size(), 1) : chunk % 64u;
  std::size_t at = 0;
  while (status == FrameReader::Status::need_more && at < stream.size()) {
    // A read of 0 bytes (libuv's nread == 0, EAGAIN) is fed as it comes, then one byte.
    if (step == 0) status = reader.feed({});
    if (status != FrameReader::Status::need_more) break;
    const std::size_t n = std::min(std::max<std::size_t>(step, 1), stream.size() - at);
    status = reader.feed(stream.subspan(at, n));
    at += n;
    SWELL_FUZZ_REQUIRE(reader.frame().size() <= max_bytes && reader.frame().size() + 4 <= std::max<std::size_t>(at, 4));
  }
  // The rule: a 4-byte big-endian length, refused above max_bytes before any body byte
  // is stored, then exactly that many bytes; what follows is not read.
  FrameReader::Status expected = FrameReader::Status::need_more;
  std::size_t length = 0;
  if (stream.size() >= 4) {
    length = (std::size_t{stream[0]} << 24) | (std::size_t{stream[1]} << 16) | (std::size_t{stream[2]} << 8) |
             std::size_t{stream[3]};
    if (length > max_bytes) {
      expected = FrameReader::Status::oversized;
    } else if (stream.size() - 4 >= length) {
      expected = FrameReader::Status::complete;
    }
  }
  SWELL_FUZZ_REQUIRE(status == expected);
  if (status == FrameReader::Status::oversized) SWELL_FUZZ_REQUIRE(reader.frame().empty());
  if (status != FrameReader::Status::complete) return std::nullopt;
  const ByteView body = stream.subspan(4, length);
  SWELL_FUZZ_REQUIRE(reader.frame().size() == length && std::equal(body.begin(), body.end(), reader.frame().begin()));
  // Bytes after a complete frame are ignored: the outcome and the frame stay.
  const std::uint8_t more[3] = {1, 2, 3};
  SWELL_FUZZ_REQUIRE(reader.feed(ByteView(more, sizeof more)) == FrameReader::Status::complete);
  SWELL_FUZZ_REQUIRE(reader.frame().size() == length);
  return reader.frame();
}

class Harness {
 public:
  Harness() : config_(stream_config()), builder_(config_.max_stream_bytes) {
    if (const char* every = std::getenv("SWELL_FUZZ_REBUILD_EVERY")) {
      rebuild_every_ = std::max<std::uint64_t>(1, std::strtoull(every, nullptr, 10));
    }
    verbose_ = std::getenv("SWELL_FUZZ_VERBOSE") != nullptr;
    rebuild();
    parties_.emplace(*world_);
  }

  void run(ByteView input) {
    RecordReader in(input);
    for (std::size_t records = 0; records < kMaxStreamRecords; ++records) {
      std::uint8_t tag = 0;
      if (!in.byte(tag) || !run_record(static_cast<StreamRecord>(tag % kStreamRecordTypes), in)) break;
    }
    world_->run_for(kInputStep);
    check_member0();
    ++inputs_;
    if (inputs_ % rebuild_every_ == 0) rebuild();
  }

 private:
  struct Seal {
    std::uint8_t sender = 0;
    std::uint8_t flags = 0;
  };

  // Returns false when the input ran out mid-record.
  bool run_record(StreamRecord type, RecordReader& in) {
    switch (type) {
      case StreamRecord::raw: {
        std::uint8_t chunk = 0;
        ByteView bytes;
        if (!in.byte(chunk) || !in.sized(bytes)) return false;
        if (auto frame = read_frame(bytes, chunk, config_.max_stream_bytes)) request(*frame);
        return true;
      }
      case StreamRecord::request:
      case StreamRecord::response:
      case StreamRecord::built_request:
      case StreamRecord::built_response: {
        Seal seal;
        std::uint8_t chunk = 0;
        if (!in.byte(seal.sender) || !in.byte(seal.flags) || !in.byte(chunk)) return false;
        Bytes body;
        if (type == StreamRecord::request || type == StreamRecord::response) {
          ByteView raw;
          if (!in.sized(raw)) return false;
          body.assign(raw.begin(), raw.end());
        } else if (!build_state(in, body)) {
          return false;
        }
        const bool is_request = type == StreamRecord::request || type == StreamRecord::built_request;
        // A response answers a request member 0 has sent: make it send one first.
        if (!is_request && !pending_) (void)world_->join(0, {1 + seal.sender % 4u});
        const auto message = seal_message(seal, is_request, body);
        if (!message) return true;
        if (auto frame = read_frame(frame_of(*message, seal.flags), chunk, config_.max_stream_bytes)) {
          if (is_request) {
            request(*frame);
          } else {
            response(*frame);
          }
        }
        return true;
      }
      case StreamRecord::advance: {
        std::uint8_t steps = 0;
        if (!in.byte(steps)) return false;
        world_->run_for(kAdvanceStep * steps);
        return true;
      }
    }
    return false;
  }

  // One push-pull message as party seal.sender sends it on a stream.
  std::optional<Bytes> seal_message(const Seal& seal, bool is_request, ByteView body) {
    const std::uint32_t p = party_of(seal.sender);
    const bool other_kind = (seal.flags & 4) != 0;
    const wire::MessageKind kind = is_request != other_kind ? wire::MessageKind::push_pull_request
                                                            : wire::MessageKind::push_pull_response;
    // Streams have no replay window: any sequence number will do.
    builder_.begin(/*full_sender=*/(seal.flags & 1) == 0, parties_->id(p), ++seq_);
    if (!builder_.add(kind, body)) return std::nullopt;
    if ((seal.flags & 8) != 0) (void)builder_.add(kind, body);
    Bytes out;
    if ((seal.flags & 2) != 0) {
      crypto::seal_unauthenticated(builder_, out);
    } else {
      crypto::seal_envelope(builder_, parties_->key(p), out);
    }
    return out;
  }

  // The bytes on the connection: the length prefix (one short if flags bit 4) and message.
  static Bytes frame_of(const Bytes& message, std::uint8_t flags) {
    Bytes stream;
    const std::size_t claimed = (flags & 16) != 0 && !message.empty() ? message.size() - 1 : message.size();
    runtime::append_length_prefix(stream, claimed);
    stream.insert(stream.end(), message.begin(), message.end());
    return stream;
  }

  // Reads a state record (format at the top) and encodes it as a push-pull body.
  bool build_state(RecordReader& in, Bytes& body) {
    std::uint8_t flags = 0, count = 0;
    if (!in.byte(flags) || !in.byte(count)) return false;
    wire::PushPull state;
    state.join = (flags & 1) != 0;
    if ((flags & 2) != 0) state.digest = last_digest_;
    for (std::uint8_t k = 0; k < count % 9u; ++k) {
      std::uint8_t party = 0, status = 0, incarnation = 0, signer = 0;
      if (!in.byte(party) || !in.byte(status) || !in.byte(incarnation) || !in.byte(signer)) return false;
      const std::uint32_t p = party_of(party);
      auto alive = crypto::make_signed_claim(parties_->identity(p), alive_claim(p, incarnation));
      if (!alive.ok()) continue;
      wire::MemberRecord record;
      record.status = static_cast<wire::MemberStatus>(status % 4u);
      record.alive = std::move(alive).value();
      if (record.status != wire::MemberStatus::alive) {
        const std::uint32_t by = party_of(signer);
        const std::uint64_t at = incarnation_near(p, static_cast<std::uint8_t>(incarnation + (status >> 2)));
        wire::Claim claim = wire::LeaveClaim{parties_->id(p), at};
        if (record.status == wire::MemberStatus::suspect) claim = wire::SuspectClaim{parties_->id(by), parties_->id(p), at};
        if (record.status == wire::MemberStatus::dead) claim = wire::DeadClaim{parties_->id(by), parties_->id(p), at};
        auto signed_claim = crypto::make_signed_claim(parties_->identity(by), claim);
        if (!signed_claim.ok()) continue;
        record.status_claim = std::move(signed_claim).value();
      }
      state.members.push_back(std::move(record));
    }
    std::uint8_t summaries = 0;
    if (!in.byte(summaries)) return false;
    for (std::uint8_t k = 0; k < summaries % 9u; ++k) {
      std::uint8_t party = 0, incarnation = 0, status = 0;
      if (!in.byte(party) || !in.byte(incarnation) || !in.byte(status)) return false;
      const std::uint32_t p = party_of(party);
      state.summary.push_back(wire::SummaryEntry{parties_->id(p).prefix64(), incarnation_near(p, incarnation),
                                                 static_cast<wire::MemberStatus>(status % 4u)});
    }
    std::uint8_t wants = 0;
    if (!in.byte(wants)) return false;
    for (std::uint8_t k = 0; k < wants % 9u; ++k) {
      std::uint8_t party = 0;
      if (!in.byte(party)) return false;
      // Bit 7: a prefix nobody has.
      state.wants.push_back((party & 0x80) != 0 ? 0x0123456789abcdefull * party : parties_->id(party_of(party)).prefix64());
    }
    wire::encode_push_pull(state, body);
    return true;
  }

  // Party p's alive claim at an incarnation near the one member 0 holds.
  wire::Claim alive_claim(std::uint32_t p, std::uint8_t incarnation) const {
    PeerInfo info;
    if (p < kClusterMembers) {
      if (const auto self = world_->node(p).member(parties_->id(p)); self && self->announcement) {
        info = self->announcement->info;
      }
    }
    if (info.id.empty()) {
      info.id = "outsider-" + std::to_string(p);
      info.address = "10.9.9." + std::to_string(p) + ":3000";
      info.node_type = NodeType::backend;
      info.last_updated_ms = 1764000000000ull;
    }
    info.owner = parties_->id(p);
    info.version = incarnation_near(p, incarnation);
    auto key = x25519_public_key(parties_->id(p));
    return wire::AliveClaim{std::move(info), parties_->address(p), key.ok() ? key.value() : X25519PublicKey{}};
  }

  // Party p's incarnation in member 0's view (0 if unknown), moved by a signed byte.
  std::uint64_t incarnation_near(std::uint32_t p, std::uint8_t offset) const {
    if (offset == 0x80) return std::numeric_limits<std::uint64_t>::max();
    const auto known = world_->node(0).member(parties_->id(p));
    const std::uint64_t base = known ? known->incarnation : 0;
    const int delta = static_cast<std::int8_t>(offset);
    if (delta >= 0) return base + static_cast<std::uint64_t>(delta);
    const auto back = static_cast<std::uint64_t>(-delta);
    return back > base ? 0 : base - back;
  }

  // An inbound stream's frame, answered by member 0 (AgentLoop::answer).
  void request(const Bytes& frame) {
    const std::uint64_t rejected = world_->node(0).stats().streams_rejected;
    auto reply = world_->inject_stream(0, 1, frame);
    const std::uint64_t now_rejected = world_->node(0).stats().streams_rejected;
    if (verbose_) {
      std::fprintf(stderr, "  request of %zu bytes: %s\n", frame.size(),
                   reply.ok() ? ("answered with " + std::to_string(reply.value().size()) + " bytes").c_str()
                              : reply.error().message.c_str());
    }
    if (!reply.ok()) {
      // Only our own state being too large for a reply is not the request's fault.
      if (reply.error().code != ErrorCode::oversized) SWELL_FUZZ_REQUIRE(now_rejected == rejected + 1);
      return;
    }
    SWELL_FUZZ_REQUIRE(now_rejected == rejected);
    check_reply(frame, reply.value());
  }

  // An answer handle_stream gave: one push-pull response from member 0, sealed under
  // the pairwise key with whoever sent the request, that decodes within the limits.
  void check_reply(const Bytes& request, const Bytes& reply) {
    SWELL_FUZZ_REQUIRE(!reply.empty() && reply.size() <= config_.max_stream_bytes);
    wire::EnvelopeView env;
    SWELL_FUZZ_REQUIRE(wire::decode_envelope(request, config_.max_stream_bytes, limits_, env).ok());
    SWELL_FUZZ_REQUIRE(env.sender.full && env.sender.id != world_->id(0));
    auto key = crypto::derive_mac_key(parties_->identity(0), env.sender.id);
    SWELL_FUZZ_REQUIRE(key.ok());
    const NodeId self = world_->id(0);
    auto opened = crypto::open_envelope(
        reply, config_.max_stream_bytes, limits_,
        [&](const wire::SenderName& name) {
          return name.full && name.id == self ? crypto::SenderKey{self, &key.value()} : crypto::SenderKey{};
        },
        env);
    SWELL_FUZZ_REQUIRE(opened.ok() && opened.value().authenticated);
    SWELL_FUZZ_REQUIRE(env.kind == wire::MessageKind::push_pull_response && env.messages.size() == 1);
    auto state = wire::decode_push_pull_view(env.messages[0].body, limits_);
    SWELL_FUZZ_REQUIRE(state.ok());
    SWELL_FUZZ_REQUIRE(state.value().members.size() <= config_.max_members);
    SWELL_FUZZ_REQUIRE(state.value().summary_size() <= config_.max_members);
  }

  // The answer to member 0's pending stream request (AgentLoop::response).
  void response(const Bytes& frame) {
    if (!pending_) return;
    const std::uint64_t id = *pending_;
    pending_.reset();
    auto first = world_->inject_stream_response(0, id, frame);  // the real peer may have answered first
    if (verbose_) {
      std::fprintf(stderr, "  answer of %zu bytes to stream %llu: %s\n", frame.size(),
                   static_cast<unsigned long long>(id), first.ok() ? "accepted" : first.error().message.c_str());
    }
    auto again = world_->inject_stream_response(0, id, frame);
    SWELL_FUZZ_REQUIRE(!again.ok() && again.error().code == ErrorCode::invalid_argument);
  }

  void rebuild() {
    world_.reset();  // free the old cluster before building the new one
    pending_.reset();
    world_ = std::make_unique<sim::World>(kClusterSeed);
    world_->spawn(kClusterMembers, stream_config());
    world_->join_all(0);
    world_->run_for(kWarmUp);
    for (std::uint32_t i = 0; i < kClusterMembers; ++i) {
      SWELL_FUZZ_REQUIRE(world_->node(i).members().size() == kClusterMembers);
    }
    // From now on every stream request member 0 sends stops the world, so the next
    // record can answer it before the peer does.
    world_->observe_streams([this](std::uint32_t from, std::uint32_t, std::uint64_t id, const Bytes& bytes) {
      if (from != 0) return;
      pending_ = id;
      wire::EnvelopeView env;
      if (wire::decode_envelope(bytes, config_.max_stream_bytes, limits_, env).ok() && env.messages.size() == 1) {
        if (auto state = wire::decode_push_pull_view(env.messages[0].body, limits_); state.ok()) {
          last_digest_ = state.value().digest;
        }
      }
      world_->stop();
    });
    own_incarnation_ = world_->node(0).member(world_->id(0))->incarnation;
  }

  // True when id is a member's or an outsider's: the only keys that can sign an alive claim.
  bool is_party(const NodeId& id) const {
    for (std::uint32_t p = 0; p < kParties; ++p) {
      if (parties_->id(p) == id) return true;
    }
    return false;
  }

  void check_member0() {
    SWELL_FUZZ_REQUIRE(world_->is_up(0));
    const Node& node = world_->node(0);
    const auto self = node.member(world_->id(0));
    SWELL_FUZZ_REQUIRE(self.has_value() && self->state == MemberState::alive);
    // SWIM: a member's incarnation only grows, or its refutations lose to older claims.
    SWELL_FUZZ_REQUIRE(self->incarnation >= own_incarnation_);
    own_incarnation_ = self->incarnation;
    const auto members = node.members();
    SWELL_FUZZ_REQUIRE(members.size() <= config_.max_members);
    for (const MemberSnapshot& m : members) SWELL_FUZZ_REQUIRE(is_party(m.id));
    SWELL_FUZZ_REQUIRE(node.pending_updates() <= config_.max_queue_entries);
  }

  Config config_;
  wire::DecodeLimits limits_;
  wire::DatagramBuilder builder_;
  std::unique_ptr<sim::World> world_;
  std::optional<LiveParties> parties_;
  std::optional<std::uint64_t> pending_;  // member 0's latest stream request, not yet answered here
  wire::StateDigest last_digest_{};       // the digest member 0 last sent
  std::uint64_t seq_ = 0;
  std::uint64_t own_incarnation_ = 0;
  std::uint64_t inputs_ = 0;
  std::uint64_t rebuild_every_ = kRebuildEvery;
  bool verbose_ = false;
};

Harness* harness = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  harness = new Harness();  // never freed: it lives as long as the fuzzer
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    harness->run(ByteView(data, size));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_stream: exception escaped: %s\n", e.what());
    SWELL_FUZZ_REQUIRE(!"no exception escapes");
  } catch (...) {
    SWELL_FUZZ_REQUIRE(!"no exception escapes");
  }
  return 0;
}

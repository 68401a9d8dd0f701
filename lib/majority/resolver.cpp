// The majority-rule Resolver (docs/majority.md). One pass over the entries finds each
// entry's node (by position in the previous view, else by the id table), groups each
// node's reports by grouping key and keeps each group's count and newest report; a second
// pass runs only when some peer listed an id twice. Then one winner per node, sorted by
// id. All scratch memory lives in State and is reused: a warmed-up resolve allocates nothing.
#include "swell/resolver.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

#include "majority/id_order.h"
#include "majority/id_table.h"
#include "majority/report_order.h"
#include "majority/short_bytes.h"
#include "majority/validity_screen.h"

namespace swell {
namespace {

using majority::IdSortKey;
using majority::IdTable;
using majority::ShortBytes;

constexpr std::uint32_t kNone = 0xffffffffu;

// Big views do not fit in L2, and the loop body is long enough that the core keeps few
// loads in flight on its own: asking for an entry's lines this far ahead (about 2 KiB)
// halves the time of w_100x1000; 16 measured 15% faster than 8 there, and 4 slower.
constexpr std::uint32_t kPrefetchDistance = 16;
// Inputs smaller than this stay in L2 between resolves; there prefetching only costs.
constexpr std::size_t kPrefetchAboveBytes = 256 * 1024;

// Prefetch hints never fault; the address is formed as an integer so that running past
// the end of the view is not pointer arithmetic out of bounds.
inline void prefetch(const PeerInfo* entries, std::uint32_t index) {
  const std::uintptr_t at = reinterpret_cast<std::uintptr_t>(entries) + std::uintptr_t{index} * sizeof(PeerInfo);
  for (std::size_t offset = 0; offset < sizeof(PeerInfo); offset += 64) {
    __builtin_prefetch(reinterpret_cast<const void*>(at + offset));
  }
}

static_assert(std::is_standard_layout_v<PeerInfo> &&
                  offsetof(PeerInfo, node_type) == offsetof(PeerInfo, metrics_port) + 2 &&
                  offsetof(PeerInfo, is_load_balancer) == offsetof(PeerInfo, metrics_port) + 3,
              "tag_of() reads metrics_port, node_type and is_load_balancer as one 4-byte word");

// The grouping key's small fields and the address length in one word. The three fields
// are adjacent bytes of PeerInfo, read with one load; each value gives a distinct word.
std::uint64_t tag_of(const PeerInfo& info) {
  std::uint32_t fields;
  std::memcpy(&fields, reinterpret_cast<const unsigned char*>(&info) + offsetof(PeerInfo, metrics_port),
              sizeof fields);
  return fields | (static_cast<std::uint64_t>(info.address.size()) << 32);
}

// Marks the tag of a variant whose address ShortBytes do not cover, so that the fast
// path, which compares words only, never matches it. No tag_of() has this bit.
constexpr std::uint64_t kLongAddress = std::uint64_t{1} << 63;

// True when a report carries nothing that newer_in_group() could order it by besides its
// timestamp and version: two such reports of one group are interchangeable.
bool plain(const PeerInfo& info) { return info.metadata.empty() && majority::zero_owner(info); }

// validate(info, limits).ok(), usually decided by the quick screen.
bool valid(const PeerInfo& info, const PeerInfoLimits& limits) {
  return majority::screen_peer_info(info, limits) || validate(info, limits).ok();
}

// validate_address(address, max_bytes).ok(), usually decided by the quick screen.
bool valid_address(const std::string& address, std::size_t max_bytes) {
  return majority::screen_address(address, max_bytes) || validate_address(address, max_bytes).ok();
}

// Everything validate() checks that can differ between two reports of one valid id,
// except the address, which is checked once per distinct grouping key.
bool fields_valid(const PeerInfo& info, std::size_t max_metadata_bytes) {
  return static_cast<std::uint8_t>(info.node_type) <= static_cast<std::uint8_t>(NodeType::governator) &&
         info.metadata.size() <= max_metadata_bytes;
}

// One grouping key's tally for one node. Only keys of valid reports get a Variant.
struct Variant {
  // A variant whose one report is entry; next is the node's previous first variant.
  // Built in place member by member: a temporary copied in would be read back whole
  // right after its parts were stored, which stalls the store buffer.
  Variant(const PeerInfo& entry, std::uint32_t next_variant)
      : tag(tag_of(entry) | (entry.address.size() > ShortBytes::kCovered ? kLongAddress : 0)),
        address(ShortBytes::of(entry.address.data(), entry.address.size())),
        best(&entry),
        best_ms(entry.last_updated_ms),
        best_version(entry.version),
        count(1),
        next(next_variant),
        best_plain(plain(entry)) {}

  // One cache line. best is never null: a recount sets count to 0 and leaves best, which
  // still has this key, until tally() replaces it.
  std::uint64_t tag = 0;             // tag_of() the key, with kLongAddress if it applies
  ShortBytes address;                // the address's words
  const PeerInfo* best = nullptr;    // the group's newest report (majority::newer_in_group)
  std::uint64_t best_ms = 0;         // best's last_updated_ms and version, without the pointer chase
  std::uint64_t best_version = 0;
  std::uint32_t count = 0;           // peers whose counted report has this key
  std::uint32_t next = kNone;        // the node's next variant
  bool best_plain = false;           // plain(*best)

  bool matches(std::uint64_t entry_tag, const ShortBytes& words, const PeerInfo& entry) const {
    if (tag == entry_tag) return address == words;
    return tag == (entry_tag | kLongAddress) && address == words && best->address == entry.address;
  }
};

static_assert(sizeof(Variant) <= 64, "a Variant is meant to fill at most one cache line");

struct Node {
  // A node whose first report, from peer, is valid and started variant v.
  Node(const PeerInfo& entry, std::uint32_t v, std::uint32_t peer)
      : id(ShortBytes::of(entry.id.data(), entry.id.size())),
        fast_id_size(entry.id.size() <= ShortBytes::kCovered ? static_cast<std::uint32_t>(entry.id.size()) : kNone),
        hint(v),
        first_variant(v),
        last_peer(peer),
        reports(1) {}
  // A node whose first report is invalid: every report of it is validated in full.
  explicit Node(const PeerInfo& entry)
      : id(ShortBytes::of(entry.id.data(), entry.id.size())), full_validation(true) {}

  ShortBytes id;                       // the id's words; IdTable holds the whole id
  std::uint32_t fast_id_size = kNone;  // the id's length, or kNone to keep the fast path away
  std::uint32_t hint = kNone;          // the variant its last counted report had
  std::uint32_t first_variant = kNone;
  std::uint32_t last_peer = kNone;     // the last peer whose report was counted
  std::uint32_t reports = 0;           // counted reports: at most one per peer
  bool full_validation = false;        // its first report failed validate(): check each in full
  bool dirty = false;                  // a peer listed it twice: recounted by recount_dirty()
  const PeerInfo* chosen = nullptr;    // recount: the peer's best report; afterwards the winner
};

}  // namespace

struct Resolver::State {
  IdTable ids;
  std::vector<Node> nodes;                    // by id index
  std::vector<Variant> variants;
  std::vector<std::uint32_t> position_node;   // node of entry i in the last view that had an entry i
  std::vector<std::uint32_t> dirty_nodes;
  std::vector<std::uint32_t> pending_nodes;
  std::vector<IdSortKey> order;
  // Scores of the optional health signal, by variant, asked at most once per resolve.
  struct Health {
    std::int64_t score = 0;
    bool known = false;
  };
  std::vector<Health> healths;

  template <class View>
  Result<void> resolve(const ResolverConfig& config, std::span<const View> views, Resolution& out);

 private:
  template <bool kPrefetch, class View>
  void count_reports(const ResolverConfig& config, std::span<const View> views, bool optimistic, Resolution& out);
  void count_entry(const ResolverConfig& config, std::uint32_t peer, std::uint32_t i, const PeerInfo& entry,
                   Resolution& out);
  void count_known(const ResolverConfig& config, std::uint32_t n, std::uint32_t peer, std::uint32_t i,
                   const PeerInfo& entry, Resolution& out);
  template <class View>
  void recount_dirty(const ResolverConfig& config, std::span<const View> views);
  const PeerInfo* choose(const ResolverConfig& config, const Node& node, std::size_t threshold,
                         ResolveMetrics& metrics);
  std::int64_t health_of(const ResolverConfig& config, const Variant& variant);
  bool order_still_sorted(std::size_t resolved);
  bool sort_order();

  // The sort key of node n's id: from the words the node holds when they cover the id.
  IdSortKey sort_key(std::uint32_t n) const {
    const Node& node = nodes[n];
    if (node.fast_id_size >= 8 && node.fast_id_size <= ShortBytes::kCovered) {
      return IdSortKey::of_words(node.id.first, node.id.last, node.fast_id_size, n);
    }
    return IdSortKey::of(ids.id(n), n);
  }

  // The node of entries[i], interning its id if new (then the caller adds the node). The
  // guess from position i of the previous view usually hits: peers list alike.
  IdTable::Interned node_at(std::uint32_t i, const PeerInfo& entry) {
    const std::uint32_t guess = position_node[i];
    if (guess < nodes.size() && ids.id(guess).size() == entry.id.size() &&
        nodes[guess].id == ShortBytes::of(entry.id.data(), entry.id.size()) &&
        (entry.id.size() <= ShortBytes::kCovered || ids.id(guess) == entry.id)) {
      return {guess, false};
    }
    const IdTable::Interned interned = ids.intern(entry.id);
    position_node[i] = interned.index;
    return interned;
  }

  std::uint32_t find_variant(const Node& node, const PeerInfo& entry) const {
    const std::uint64_t tag = tag_of(entry);
    const auto words = ShortBytes::of(entry.address.data(), entry.address.size());
    for (std::uint32_t v = node.first_variant; v != kNone; v = variants[v].next) {
      if (variants[v].matches(tag, words, entry)) return v;
    }
    return kNone;
  }

  // Adds a variant whose one report is entry, first in the list of node (order does not
  // matter to the rule), and counts entry as the node's report from peer. The new
  // records are written whole, never read back: that stalls on a store in flight.
  void start_variant(Node& node, std::uint32_t peer, const PeerInfo& entry) {
    const auto v = static_cast<std::uint32_t>(variants.size());
    variants.emplace_back(entry, node.first_variant);
    node.first_variant = v;
    node.hint = v;
    node.last_peer = peer;
    ++node.reports;
  }

  // Starts a variant for a report of a known valid node that is not yet counted for peer,
  // whose key matched none of the node's by words, and whose metadata size passed. False
  // (and nothing done) for count_entry() to decide: a long address, whose key the word
  // compare cannot rule out, or an invalid node_type or address.
  bool add_key(const ResolverConfig& config, Node& node, std::uint32_t peer, const PeerInfo& entry) {
    if (entry.address.size() > ShortBytes::kCovered ||
        static_cast<std::uint8_t>(entry.node_type) > static_cast<std::uint8_t>(NodeType::governator) ||
        !valid_address(entry.address, config.limits.max_address_bytes)) {
      return false;
    }
    start_variant(node, peer, entry);
    return true;
  }

  // Adds the node of a new id, whose index n is nodes.size(), with entry as its first
  // report. That report is validated in full, which also vouches for the id, so later
  // reports need only the checks that can differ (fields_valid, and the address).
  void add_node(const ResolverConfig& config, std::uint32_t n, std::uint32_t peer, std::uint32_t i,
                const PeerInfo& entry, Resolution& out) {
    if (valid(entry, config.limits)) {
      const auto v = static_cast<std::uint32_t>(variants.size());
      nodes.emplace_back(entry, v, peer);
      variants.emplace_back(entry, kNone);
      return;
    }
    nodes.emplace_back(entry);
    count_known(config, n, peer, i, entry, out);
  }

  static void tally(Variant& variant, const PeerInfo& entry) {
    if (variant.count++ != 0) {
      if (entry.last_updated_ms < variant.best_ms) return;
      if (entry.last_updated_ms == variant.best_ms) {
        if (entry.version < variant.best_version) return;
        // A plain best has the smallest owner and metadata there are, so nothing with its
        // timestamp and version can be newer: the usual case, settled without *best.
        if (entry.version == variant.best_version &&
            (variant.best_plain || !majority::newer_in_group(entry, *variant.best))) {
          return;
        }
      }
    }
    variant.best = &entry;
    variant.best_ms = entry.last_updated_ms;
    variant.best_version = entry.version;
    variant.best_plain = plain(entry);
  }

  void count(Node& node, std::uint32_t peer, std::uint32_t v, const PeerInfo& entry) {
    node.last_peer = peer;
    ++node.reports;
    node.hint = v;
    tally(variants[v], entry);
  }
};

template <bool kPrefetch, class View>
void Resolver::State::count_reports(const ResolverConfig& config, std::span<const View> views, bool optimistic,
                                    Resolution& out) {
  const std::size_t max_metadata_bytes = config.limits.max_metadata_bytes;
  std::uint32_t* const guesses = position_node.data();  // sized before the pass, never resized in it
  const auto peers = static_cast<std::uint32_t>(views.size());
  for (std::uint32_t p = 0; p < peers; ++p) {
    const PeerInfo* entries = views[p].data();
    const auto size = static_cast<std::uint32_t>(views[p].size());
    if (p == 0 && optimistic) {
      // A peer lists each id once, so the first view's ids are taken as new without being
      // hashed: IdTable indexes them only if a later view needs a lookup. A first view
      // that does repeat an id is caught then or when sorting, and resolve() starts over
      // without this shortcut.
      for (std::uint32_t i = 0; i < size; ++i) {
        const PeerInfo& entry = entries[i];
        if constexpr (kPrefetch) prefetch(entries, i + kPrefetchDistance);
        const std::uint32_t n = ids.append(entry.id);
        guesses[i] = n;
        add_node(config, n, p, i, entry, out);
      }
      continue;
    }
    Node* node_data = nodes.data();
    std::size_t node_count = nodes.size();
    Variant* variant_data = variants.data();
    for (std::uint32_t i = 0; i < size; ++i) {
      const PeerInfo& entry = entries[i];
      if constexpr (kPrefetch) prefetch(entries, i + kPrefetchDistance);
      // The usual case in a few compares: the node at this position in the previous view
      // (else the one the id table names), valid so far and not yet reported by this
      // peer, and a grouping key it already has (whose tag vouches for node_type, and
      // whose address was validated). Anything else, or any doubt, takes count_entry(),
      // which handles every case.
      const std::size_t id_size = entry.id.size();
      const ShortBytes id = ShortBytes::of(entry.id.data(), id_size);
      std::uint32_t n = guesses[i];
      if (n >= node_count || node_data[n].fast_id_size != id_size || node_data[n].id != id) {
        n = id_size <= ShortBytes::kCovered ? ids.find(entry.id) : kNone;
        if (n != kNone) guesses[i] = n;
      }
      if (n != kNone) {
        Node& node = node_data[n];
        if (node.fast_id_size == id_size && node.last_peer != p && entry.metadata.size() <= max_metadata_bytes) {
          const std::uint64_t tag = tag_of(entry);
          const ShortBytes address = ShortBytes::of(entry.address.data(), entry.address.size());
          std::uint32_t v = node.hint;
          if (variant_data[v].tag != tag || variant_data[v].address != address) {
            v = node.first_variant;  // a conflicted node: its other keys
            while (v != kNone && (variant_data[v].tag != tag || variant_data[v].address != address)) {
              v = variant_data[v].next;
            }
          }
          if (v != kNone) {
            node.last_peer = p;
            ++node.reports;
            node.hint = v;
            tally(variant_data[v], entry);
            continue;
          }
          // A key the node does not have yet (the usual conflict): only node_type and the
          // address are left to check, and everything else about the entry is known.
          if (add_key(config, node, p, entry)) {
            variant_data = variants.data();
            continue;
          }
        }
      }
      count_entry(config, p, i, entry, out);
      node_data = nodes.data();
      node_count = nodes.size();
      variant_data = variants.data();
    }
  }
}

void Resolver::State::count_entry(const ResolverConfig& config, std::uint32_t peer, std::uint32_t i,
                                  const PeerInfo& entry, Resolution& out) {
  const IdTable::Interned at = node_at(i, entry);
  if (at.added) {
    add_node(config, at.index, peer, i, entry, out);
  } else {
    count_known(config, at.index, peer, i, entry, out);
  }
}

void Resolver::State::count_known(const ResolverConfig& config, std::uint32_t n, std::uint32_t peer,
                                  std::uint32_t i, const PeerInfo& entry, Resolution& out) {
  const PeerInfoLimits& limits = config.limits;
  Node& node = nodes[n];
  const bool fields_ok =
      node.full_validation ? valid(entry, limits) : fields_valid(entry, limits.max_metadata_bytes);
  std::uint32_t v = fields_ok ? find_variant(node, entry) : kNone;
  if (!fields_ok ||
      (v == kNone && !node.full_validation && !valid_address(entry.address, limits.max_address_bytes))) {
    out.issues_.push_back({ResolveIssueKind::invalid_peer_info, peer, i});
    ++out.metrics_.invalid_entries;
    return;
  }
  if (node.last_peer == peer) {
    out.issues_.push_back({ResolveIssueKind::duplicate_report, peer, i});
    ++out.metrics_.duplicate_reports;
    if (!node.dirty) {
      node.dirty = true;
      dirty_nodes.push_back(n);
    }
    return;
  }
  if (v == kNone) {
    start_variant(node, peer, entry);
  } else {
    count(node, peer, v, entry);
  }
}

// A peer that lists an id twice counts once, with its newest report (newer_report). The
// first pass counted its first report instead, so nodes it marked dirty are counted again.
template <class View>
void Resolver::State::recount_dirty(const ResolverConfig& config, std::span<const View> views) {
  for (const std::uint32_t n : dirty_nodes) {
    Node& node = nodes[n];
    node.last_peer = kNone;
    node.reports = 0;
    for (std::uint32_t v = node.first_variant; v != kNone; v = variants[v].next) variants[v].count = 0;
  }
  const auto peers = static_cast<std::uint32_t>(views.size());
  for (std::uint32_t p = 0; p < peers; ++p) {
    const PeerInfo* entries = views[p].data();
    const auto size = static_cast<std::uint32_t>(views[p].size());
    pending_nodes.clear();
    for (std::uint32_t i = 0; i < size; ++i) {
      const PeerInfo& entry = entries[i];
      const std::uint32_t n = node_at(i, entry).index;  // every id is known by now: never adds
      Node& node = nodes[n];
      if (!node.dirty || !valid(entry, config.limits)) continue;
      if (node.last_peer != p) {
        node.last_peer = p;
        node.chosen = &entry;
        pending_nodes.push_back(n);
      } else if (majority::newer_report(entry, *node.chosen)) {
        node.chosen = &entry;
      }
    }
    for (const std::uint32_t n : pending_nodes) {
      Node& node = nodes[n];
      const std::uint32_t v = find_variant(node, *node.chosen);
      if (v == kNone) {
        start_variant(node, p, *node.chosen);
      } else {
        ++node.reports;
        tally(variants[v], *node.chosen);
      }
    }
  }
}

// Sorting the answer by id would cost more than all the counting on small clusters. But
// membership rarely changes between resolves and peers list it in a stable order, so the
// last resolve's order is usually right again: it is kept as a guess and checked here in
// one pass of predictable compares. It holds exactly when it names as many nodes as now
// resolved, each of them resolved, in strictly increasing id order: then it is a
// permutation of them, sorted. Otherwise the caller sorts.
bool Resolver::State::order_still_sorted(std::size_t resolved) {
  if (order.size() != resolved) return false;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::uint32_t n = order[k].index;
    if (n >= nodes.size() || nodes[n].reports == 0) return false;
    order[k] = sort_key(n);  // the ids are this resolve's
    if (k != 0 && !order[k - 1].before(order[k], ids)) return false;
  }
  return true;
}

// Sorts the resolved nodes by id. False when two nodes have one id, which only the
// first view's unchecked ids can cause: the caller then counts again.
bool Resolver::State::sort_order() {
  order.clear();
  for (std::uint32_t n = 0; n < nodes.size(); ++n) {
    if (nodes[n].reports != 0) order.push_back(sort_key(n));
  }
  const auto by_id = [this](const IdSortKey& a, const IdSortKey& b) { return a.before(b, ids); };
  std::sort(order.begin(), order.end(), by_id);
  return std::adjacent_find(order.begin(), order.end(), [&](const IdSortKey& a, const IdSortKey& b) {
           return !by_id(a, b);
         }) == order.end();
}

std::int64_t Resolver::State::health_of(const ResolverConfig& config, const Variant& variant) {
  Health& health = healths[static_cast<std::size_t>(&variant - variants.data())];
  if (!health.known) {
    // A throwing signal must not escape resolve(); it counts as the least healthy.
    try {
      health.score = config.health(*variant.best);
    } catch (...) {
      health.score = std::numeric_limits<std::int64_t>::min();
    }
    health.known = true;
  }
  return health.score;
}

const PeerInfo* Resolver::State::choose(const ResolverConfig& config, const Node& node, std::size_t threshold,
                                        ResolveMetrics& metrics) {
  if (node.reports == 1) {
    for (std::uint32_t v = node.first_variant;; v = variants[v].next) {
      if (variants[v].count != 0) return variants[v].best;
    }
  }
  ++metrics.conflicts;
  const bool use_health = static_cast<bool>(config.health);
  // Among groups the rule cannot tell apart by size: the healthier (when asked), the
  // newer, then the smaller grouping key. Keys are distinct, so this is a total order.
  auto preferred = [&](Variant& a, Variant& b) {
    if (use_health) {
      const std::int64_t ha = health_of(config, a);
      const std::int64_t hb = health_of(config, b);
      if (ha != hb) return ha > hb;
    }
    if (a.best_ms != b.best_ms) return a.best_ms > b.best_ms;
    return majority::compare_grouping_keys(*a.best, *b.best) < 0;
  };
  Variant* winner = nullptr;
  std::size_t reaching = 0;
  for (std::uint32_t v = node.first_variant; v != kNone; v = variants[v].next) {
    Variant& variant = variants[v];
    if (variant.count < threshold) continue;
    ++reaching;
    if (winner == nullptr || variant.count > winner->count ||
        (variant.count == winner->count && preferred(variant, *winner))) {
      winner = &variant;
    }
  }
  if (reaching > 1) ++metrics.ambiguous_majorities;
  if (winner != nullptr) return winner->best;
  // No majority: the newest report overall, i.e. the newest of the groups' newest.
  ++metrics.tie_breaks;
  for (std::uint32_t v = node.first_variant; v != kNone; v = variants[v].next) {
    Variant& variant = variants[v];
    if (variant.count != 0 && (winner == nullptr || preferred(variant, *winner))) winner = &variant;
  }
  return winner->best;
}

template <class View>
Result<void> Resolver::State::resolve(const ResolverConfig& config, std::span<const View> views,
                                      Resolution& out) {
  out.winners_.clear();
  out.issues_.clear();
  out.metrics_ = ResolveMetrics{};
  if (views.empty()) {
    return Error{ErrorCode::no_peer_views,
                 "no peer views to resolve: pass one list of PeerInfo per responding peer (an empty list counts)"};
  }
  std::size_t longest = 0;
  for (const View& view : views) longest = std::max(longest, view.size());
  if (views.size() >= kNone || longest >= kNone) {
    return Error{ErrorCode::invalid_argument, "too many peer views or entries in one view: at most 2^32 - 2 of each"};
  }
  if (position_node.size() < longest) position_node.resize(longest, kNone);
  std::size_t entries = 0;
  for (const View& view : views) entries += view.size();
  ResolveMetrics& metrics = out.metrics_;
  std::size_t resolved = 0;
  // The first attempt takes the first view's ids as distinct (count_reports); the rare
  // input where that is wrong is counted again, without the shortcut.
  for (bool optimistic = true;; optimistic = false) {
    out.issues_.clear();
    metrics = ResolveMetrics{};
    ids.reset(longest, config.hash_seed);
    nodes.clear();
    variants.clear();
    dirty_nodes.clear();
    if (entries * sizeof(PeerInfo) > kPrefetchAboveBytes) {
      count_reports<true>(config, views, optimistic, out);
    } else {
      count_reports<false>(config, views, optimistic, out);
    }
    if (!dirty_nodes.empty()) recount_dirty(config, views);
    if (ids.saw_duplicate()) continue;

    metrics.peers = views.size();
    metrics.threshold = (views.size() + 1) / 2;
    if (config.health) healths.assign(variants.size(), Health{});
    resolved = 0;
    for (Node& node : nodes) {
      if (node.reports == 0) continue;  // every report of it was invalid
      ++resolved;
      const Variant& only = variants[node.first_variant];
      if (only.next == kNone && (node.reports == 1 || node.reports >= metrics.threshold)) {
        // The usual node: one group holds every report and wins outright (choose() agrees).
        metrics.conflicts += node.reports > 1 ? 1 : 0;
        node.chosen = only.best;
        continue;
      }
      node.chosen = choose(config, node, metrics.threshold, metrics);
    }
    metrics.nodes = resolved;
    if (order_still_sorted(resolved) || sort_order() || !optimistic) break;
  }
  out.winners_.resize(resolved);
  for (std::size_t k = 0; k < resolved; ++k) out.winners_[k] = nodes[order[k].index].chosen;
  return success();
}

std::vector<PeerInfo> Resolution::copy_winners() const {
  std::vector<PeerInfo> copies;
  copies.reserve(winners_.size());
  for (const PeerInfo* info : winners_) copies.push_back(*info);
  return copies;
}

Resolver::Resolver(ResolverConfig config) : config_(std::move(config)), state_(std::make_unique<State>()) {}
Resolver::~Resolver() = default;
Resolver::Resolver(Resolver&&) noexcept = default;
Resolver& Resolver::operator=(Resolver&&) noexcept = default;

Result<void> Resolver::resolve(std::span<const std::vector<PeerInfo>> views, Resolution& out) {
  if (!state_) state_ = std::make_unique<State>();  // moved-from resolvers stay usable
  return state_->resolve(config_, views, out);
}

Result<void> Resolver::resolve(std::span<const std::span<const PeerInfo>> views, Resolution& out) {
  if (!state_) state_ = std::make_unique<State>();
  return state_->resolve(config_, views, out);
}

Result<ResolvedPeers> Resolver::resolve_copy(std::span<const std::vector<PeerInfo>> views) {
  Resolution resolution;
  if (auto status = resolve(views, resolution); !status.ok()) return status.error();
  return ResolvedPeers{resolution.copy_winners(), resolution.metrics_, std::move(resolution.issues_)};
}

}  // namespace swell

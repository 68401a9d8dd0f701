// The resolver's internal parts: id interning, id order, grouping-key order, byte equality.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "majority/short_bytes.h"
#include "majority/id_order.h"
#include "majority/id_table.h"
#include "majority/report_order.h"

using swell::NodeType;
using swell::PeerInfo;
using swell::majority::IdSortKey;
using swell::majority::IdTable;
using swell::majority::ShortBytes;

namespace {

std::string random_id(std::mt19937_64& rng) {
  static const std::string kPrefixes[] = {"", "backend-", "a-very-long-shared-prefix-", "proxy"};
  std::string id = kPrefixes[rng() % 4];
  const std::size_t extra = rng() % 20;
  for (std::size_t i = 0; i < extra; ++i) id += static_cast<char>('!' + rng() % 94);
  return id;
}

PeerInfo keyed(const std::string& address, std::uint16_t port, NodeType type, bool load_balancer) {
  PeerInfo info;
  info.address = address;
  info.metrics_port = port;
  info.node_type = type;
  info.is_load_balancer = load_balancer;
  return info;
}

std::string formatted(const PeerInfo& info) {
  return info.address + "-" + std::to_string(info.metrics_port) + "-" + std::string(swell::to_string(info.node_type)) +
         "-" + (info.is_load_balancer ? "true" : "false");
}

}  // namespace

TEST_CASE("ShortBytes words are equal exactly when the bytes are, for lengths up to 16") {
  std::mt19937_64 rng(5);
  for (std::size_t n = 0; n <= ShortBytes::kCovered; ++n) {
    std::string a(n, 'x');
    for (char& c : a) c = static_cast<char>(rng());
    std::string b = a;
    CHECK(ShortBytes::of(a.data(), n) == ShortBytes::of(b.data(), n));
    for (std::size_t at = 0; at < n; ++at) {
      b[at] = static_cast<char>(b[at] ^ 1);
      CHECK_FALSE(ShortBytes::of(a.data(), n) == ShortBytes::of(b.data(), n));
      b[at] = a[at];
    }
  }
}

TEST_CASE("IdTable gives dense indices in order of first appearance and grows past its estimate") {
  IdTable table;
  std::vector<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.push_back("node-" + std::to_string(i));
  for (const std::uint64_t seed : {0ull, 42ull}) {
    table.reset(3, seed);  // far too small: must grow
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const IdTable::Interned in = table.intern(ids[i]);
      CHECK(in.added);
      CHECK(in.index == i);
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const IdTable::Interned in = table.intern(ids[i]);
      CHECK_FALSE(in.added);
      CHECK(in.index == i);
      CHECK(table.id(static_cast<std::uint32_t>(i)) == ids[i]);
    }
    CHECK(table.size() == ids.size());
    CHECK_FALSE(table.saw_duplicate());
  }
  table.reset(10, 0);  // a reset forgets everything
  CHECK(table.size() == 0);
  CHECK(table.intern("node-1").added);
}

TEST_CASE("IdTable indexes appended ids on the next intern, and notices appended duplicates") {
  IdTable table;
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back("n" + std::to_string(i));
  table.reset(2, 7);
  for (std::size_t i = 0; i < ids.size(); ++i) CHECK(table.append(ids[i]) == i);
  CHECK(table.intern("n299").index == 299);  // indexes all 300, growing on the way
  CHECK(table.intern("n0").index == 0);
  CHECK(table.intern("new").index == 300);
  CHECK_FALSE(table.saw_duplicate());

  table.reset(2, 7);
  table.append("a");
  table.append("b");
  table.append("a");  // appended as if new
  for (std::size_t i = 0; i < 100; ++i) table.append(ids[i]);  // forces growth while indexing
  const IdTable::Interned a = table.intern("a");
  CHECK_FALSE(a.added);
  CHECK(a.index == 0);  // the first "a" keeps its slot
  CHECK(table.saw_duplicate());
  CHECK(table.intern("n99").index == 102);
}

TEST_CASE("hash_id reads every byte of ids of any length") {
  std::set<std::uint64_t> hashes;
  std::string id;
  for (int n = 0; n < 40; ++n) {
    hashes.insert(swell::majority::hash_id(id, 1));
    for (std::size_t at = 0; at < id.size(); ++at) {
      std::string changed = id;
      changed[at] = 'z';
      CHECK(swell::majority::hash_id(changed, 1) != swell::majority::hash_id(id, 1));
    }
    id += 'a';
  }
  CHECK(hashes.size() == 40);
}

TEST_CASE("IdSortKey orders ids as bytewise string comparison does") {
  std::mt19937_64 rng(9);
  std::vector<std::string> ids;
  for (int i = 0; i < 2000; ++i) ids.push_back(random_id(rng));
  ids.push_back("backend-1");
  ids.push_back("backend-10");
  ids.push_back("backend-100");
  ids.push_back("backend-13");
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  struct Table {
    const std::vector<std::string>* ids;
    std::string_view id(std::uint32_t i) const { return (*ids)[i]; }
  } table{&ids};
  std::vector<IdSortKey> keys;
  for (std::uint32_t i = 0; i < ids.size(); ++i) {
    keys.push_back(IdSortKey::of(ids[i], i));
    if (ids[i].size() >= 8 && ids[i].size() <= 16) {
      // The key from the words equals the key from the string.
      const ShortBytes words = ShortBytes::of(ids[i].data(), ids[i].size());
      const IdSortKey from_words = IdSortKey::of_words(words.first, words.last, ids[i].size(), i);
      CHECK(from_words.head == keys.back().head);
      CHECK(from_words.tail == keys.back().tail);
    }
  }
  std::shuffle(keys.begin(), keys.end(), rng);
  std::sort(keys.begin(), keys.end(), [&](const IdSortKey& a, const IdSortKey& b) { return a.before(b, table); });
  for (std::uint32_t i = 0; i < keys.size(); ++i) CHECK(keys[i].index == i);
}

TEST_CASE("compare_grouping_keys orders keys as the seed's formatted key strings") {
  const std::string addresses[] = {"10.0.0.1:3000", "10.0.0.1:30000", "10.0.0.10:3000", "10.0.0.1:300",
                                   "[::1]:3000", "a:1", "a-b:1"};
  const std::uint16_t ports[] = {0, 9, 909, 9090, 10000, 65535};
  std::vector<PeerInfo> keys;
  for (const auto& address : addresses) {
    for (const auto port : ports) {
      for (const auto type : {NodeType::proxy, NodeType::backend, NodeType::governator}) {
        for (const bool lb : {false, true}) keys.push_back(keyed(address, port, type, lb));
      }
    }
  }
  for (const PeerInfo& a : keys) {
    for (const PeerInfo& b : keys) {
      const int want = formatted(a).compare(formatted(b));
      const int got = swell::majority::compare_grouping_keys(a, b);
      CHECK((want < 0) == (got < 0));
      CHECK((want == 0) == (got == 0));
    }
  }
}

TEST_CASE("newer_report is a total order: timestamp, version, key, owner, metadata") {
  PeerInfo base = keyed("10.0.0.1:3000", 9090, NodeType::backend, false);
  base.last_updated_ms = 10;
  PeerInfo later = base;
  later.last_updated_ms = 11;
  PeerInfo higher = base;
  higher.version = 1;
  PeerInfo smaller_key = base;
  smaller_key.address = "10.0.0.0:3000";
  PeerInfo owned = base;
  owned.owner = swell::NodeId(std::array<std::uint8_t, 32>{1});
  PeerInfo with_metadata = base;
  with_metadata.metadata = {1};
  using swell::majority::newer_report;
  CHECK(newer_report(later, higher));
  CHECK(newer_report(higher, smaller_key));
  CHECK(newer_report(smaller_key, base));
  CHECK(newer_report(base, owned));
  CHECK(newer_report(base, with_metadata));
  CHECK_FALSE(newer_report(base, base));
  CHECK(swell::majority::newer_in_group(base, owned));
  CHECK(swell::majority::newer_in_group(base, with_metadata));
  CHECK_FALSE(swell::majority::newer_in_group(base, base));
  CHECK(swell::majority::zero_owner(base));
  CHECK_FALSE(swell::majority::zero_owner(owned));
  CHECK(swell::majority::same_owner(base, with_metadata));
  CHECK_FALSE(swell::majority::same_owner(base, owned));
}

// Reader: reads the keys of one TOML table of a scenario file into plain values, with
// errors that name the file, the line and the key, and remembers which keys were read
// so that a misspelt key is an error. Internal to sim/ (scenario.cpp and
// scenario_actions.cpp).
//
//   Reader r(table, "step 3 (crash): ", nodes);
//   SWELL_TRY(member, r.selector("member"));
//   if (auto ok = r.no_leftovers({}); !ok.ok()) return ok.error();
#pragma once

#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "scenario.h"

namespace swell::sim {

/// "path:line:column" of a TOML source region.
std::string where(const toml::source_region& source);
/// An invalid_argument error whose message starts with where(source).
Error error_at(const toml::source_region& source, const std::string& what);
/// The value of an integer or floating-point node; nullopt for any other node.
std::optional<double> number_of(const toml::node& node);

class Reader {
 public:
  /// Reads table; context prefixes every message ("step 3 (crash): "); nodes bounds indices.
  Reader(const toml::table& table, std::string context, std::uint32_t nodes)
      : table_(table), context_(std::move(context)), nodes_(nodes) {}

  /// The node at key (nullptr if absent), marking the key as used.
  [[nodiscard]] const toml::node* get(std::string_view key) {
    used_.insert(std::string(key));
    return table_.get(key);
  }
  /// True if key is present (does not mark it used).
  [[nodiscard]] bool has(std::string_view key) const { return table_.get(key) != nullptr; }

  /// An error at node (the table itself when nullptr), prefixed with the context.
  Error fail(const toml::node* node, const std::string& what) const {
    return error_at(node != nullptr ? node->source() : table_.source(), context_ + what);
  }

  /// A finite number (integer or float), or fallback when absent.
  Result<double> number(std::string_view key, std::optional<double> fallback = std::nullopt) {
    const toml::node* node = get(key);
    if (node == nullptr) {
      if (fallback) return *fallback;
      return fail(nullptr, "missing '" + std::string(key) + "' (a number)");
    }
    auto value = number_of(*node);
    if (!value || !std::isfinite(*value)) return fail(node, "'" + std::string(key) + "' must be a number");
    return *value;
  }

  /// A whole number >= 0, or fallback when absent.
  Result<std::uint64_t> integer(std::string_view key, std::optional<std::uint64_t> fallback = std::nullopt) {
    const toml::node* node = get(key);
    if (node == nullptr) {
      if (fallback) return *fallback;
      return fail(nullptr, "missing '" + std::string(key) + "' (a whole number)");
    }
    const auto* i = node->as_integer();
    if (i == nullptr || i->get() < 0) return fail(node, "'" + std::string(key) + "' must be a whole number >= 0");
    return static_cast<std::uint64_t>(i->get());
  }

  /// A string, or fallback when absent.
  Result<std::string> string(std::string_view key, std::optional<std::string> fallback = std::nullopt) {
    const toml::node* node = get(key);
    if (node == nullptr) {
      if (fallback) return *fallback;
      return fail(nullptr, "missing '" + std::string(key) + "' (a string)");
    }
    const auto* s = node->as_string();
    if (s == nullptr) return fail(node, "'" + std::string(key) + "' must be a string");
    return s->get();
  }

  /// true/false, or fallback when absent.
  Result<bool> boolean(std::string_view key, bool fallback) {
    const toml::node* node = get(key);
    if (node == nullptr) return fallback;
    const auto* b = node->as_boolean();
    if (b == nullptr) return fail(node, "'" + std::string(key) + "' must be true or false");
    return b->get();
  }

  /// One member index 0..nodes-1, or fallback when absent.
  Result<std::uint32_t> member_index(std::string_view key, std::optional<std::uint32_t> fallback = std::nullopt) {
    const toml::node* node = get(key);
    if (node == nullptr) {
      if (fallback) return *fallback;
      return fail(nullptr, "missing '" + std::string(key) + "' (a member index)");
    }
    const auto* i = node->as_integer();
    if (i == nullptr || i->get() < 0 || i->get() >= static_cast<std::int64_t>(nodes_)) {
      return fail(node, "'" + std::string(key) + "' must be a member index 0.." + std::to_string(nodes_ - 1));
    }
    return static_cast<std::uint32_t>(i->get());
  }

  /// A selector: 3, [1, 2, 5], "all", "all_up", "0..7", "0..2,5,9..11".
  Result<Selector> selector(std::string_view key, std::optional<Selector> fallback = std::nullopt) {
    const toml::node* node = get(key);
    if (node == nullptr) {
      if (fallback) return *fallback;
      return fail(nullptr, "missing '" + std::string(key) + "' (a member, a list, \"all\", \"all_up\" or \"a..b\")");
    }
    return selector_of(*node, std::string(key));
  }

  /// A selector node: 3, [1, 2, 5], "all", "all_up", "0..7", "0..2,5,9..11".
  Result<Selector> selector_of(const toml::node& node, const std::string& key);

  /// An explicit member list (no "all"), or fallback when absent.
  Result<std::vector<std::uint32_t>> indices(std::string_view key, std::vector<std::uint32_t> fallback) {
    if (!has(key)) {
      (void)get(key);
      return fallback;
    }
    auto sel = selector(key);
    if (!sel.ok()) return sel.error();
    if (sel.value().kind != Selector::Kind::list) return fail(table_.get(key), "'" + std::string(key) + "' must list members");
    return sel.value().members;
  }

  /// Every key present must have been read (or be one of `allowed`); the error for an
  /// unknown key ends with `suffix`.
  Result<void> no_leftovers(const std::set<std::string_view>& allowed, const std::string& suffix = "") const {
    for (auto&& [key, value] : table_) {
      const std::string k(key.str());
      if (used_.count(k) == 0 && allowed.count(k) == 0) {
        return error_at(key.source(), context_ + "unknown key '" + k + "'" + suffix);
      }
    }
    return success();
  }

 private:
  const toml::table& table_;
  std::string context_;
  std::uint32_t nodes_;
  std::set<std::string> used_;
};

/// "alive", "suspect", "dead", "left" or "unknown" (nullopt).
inline Result<std::optional<MemberState>> state_of(std::string_view name) {
  if (name == "alive") return std::optional<MemberState>(MemberState::alive);
  if (name == "suspect") return std::optional<MemberState>(MemberState::suspect);
  if (name == "dead") return std::optional<MemberState>(MemberState::dead);
  if (name == "left") return std::optional<MemberState>(MemberState::left);
  if (name == "unknown") return std::optional<MemberState>();
  return Error{ErrorCode::invalid_argument, "state must be alive, suspect, dead, left or unknown"};
}

/// A membership event kind by name ("failed", ...).
inline Result<MembershipEvent::Kind> kind_of(std::string_view name) {
  using K = MembershipEvent::Kind;
  for (const K k : {K::joined, K::updated, K::suspected, K::failed, K::left, K::recovered, K::name_conflict, K::rotated}) {
    if (name == to_string(k)) return k;
  }
  return Error{ErrorCode::invalid_argument,
               "kind must be joined, updated, suspected, failed, left, recovered, name_conflict or rotated"};
}

/// Reads `key` as one string or a list of strings, each converted by convert.
template <class T, class Convert>
Result<std::vector<T>> strings(Reader& r, std::string_view key, Convert convert) {
  const toml::node* node = r.get(key);
  if (node == nullptr) return r.fail(nullptr, "missing '" + std::string(key) + "'");
  std::vector<T> out;
  auto one = [&](const toml::node& n) -> Result<void> {
    const auto* s = n.as_string();
    if (s == nullptr) return r.fail(&n, "'" + std::string(key) + "' must be a string or a list of strings");
    auto v = convert(s->get());
    if (!v.ok()) return r.fail(&n, "'" + std::string(key) + "': " + v.error().message);
    out.push_back(v.value());
    return success();
  };
  if (const auto* a = node->as_array()) {
    for (const toml::node& e : *a) {
      if (auto ok = one(e); !ok.ok()) return ok.error();
    }
    if (out.empty()) return r.fail(node, "'" + std::string(key) + "' must not be empty");
  } else if (auto ok = one(*node); !ok.ok()) {
    return ok.error();
  }
  return out;
}

// Unwraps a Result into var or returns its error: the parsers are chains of these.
#define SWELL_TRY(var, expr)          \
  auto var##_result = (expr);         \
  if (!var##_result.ok()) return var##_result.error(); \
  auto var = std::move(var##_result.value())

/// A duration written in (possibly fractional) milliseconds.
inline Duration ms(double value) { return Duration(static_cast<std::int64_t>(std::llround(value * 1000.0))); }

}  // namespace swell::sim

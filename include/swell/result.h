// Errors as values at swell's API boundary: Result<T> holds a T or an Error.
//
//   Result<Identity> id = Identity::load("/etc/swell/node.key");
//   if (!id.ok()) { std::cerr << id.error().message << "\n"; return 1; }
//   use(id.value());
//
// No public swell function throws; every failure a caller can act on comes back here.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace swell {

/// Stable error numbers; the C API returns them negated, so values never change.
/// "state unchanged" means the object that returned the error is as it was before the call.
enum class ErrorCode : int {
  invalid_argument = 1,        ///< A caller-supplied value is out of range; state unchanged.
  invalid_config = 2,          ///< A Config field is out of range; nothing was built.
  io = 3,                      ///< The OS refused a file or socket operation; retry may help.
  key_file_missing = 10,       ///< No key file at the path; generate one first.
  key_file_permissions = 11,   ///< Key file readable by group/others; chmod 600 it.
  key_file_corrupt = 12,       ///< Key file truncated, wrong size or inconsistent.
  crypto = 13,                 ///< libsodium failed (e.g. a low-order public key); not fatal.
  invalid_peer_info = 20,      ///< PeerInfo failed validation; fix the field named.
  truncated = 30,              ///< Datagram or field ends early; dropped, state unchanged.
  unknown_version = 31,        ///< Protocol version this build does not speak; dropped.
  unknown_kind = 32,           ///< Message kind this build does not know; dropped.
  bad_field_type = 33,         ///< A field has the wrong msgpack type or arity; dropped.
  oversized = 34,              ///< Input exceeds a configured bound; dropped.
  bad_signature = 35,          ///< An Ed25519 claim signature does not verify; dropped.
  bad_mac = 36,                ///< Datagram authenticator does not verify; dropped.
  malformed = 37,              ///< Not valid msgpack, or trailing bytes; dropped.
  unknown_sender = 38,         ///< Compact sender name matches no known member; dropped.
  replayed = 39,               ///< Sequence number already seen; dropped.
  wrong_peer = 40,             ///< A stream was answered by a member other than the one asked; dropped.
  wrong_protection = 41,       ///< Encrypted envelope at a member that does not encrypt, or the
                               ///< reverse (Config::encrypt differs); dropped, state unchanged.
  not_admitted = 42,           ///< The sender's key is not admitted (Config::admission); dropped, counted.
  no_peer_views = 50,          ///< Resolver called with no peer views at all.
  not_running = 60,            ///< The agent or simulated member is stopped or crashed.
  wrong_state = 61,            ///< Not allowed in the node's current phase (join twice, leave before
                               ///< join, input before join, update after leave); state unchanged.
  unknown_member = 62,         ///< No member with that id in this node's view.
};

/// A short stable name for a code, like strerror: "bad_mac", "truncated", ...
std::string_view to_string(ErrorCode code);

/// What went wrong: a stable code to branch on and an actionable message.
struct Error {
  ErrorCode code;       ///< Stable number; the C API returns it negated.
  std::string message;  ///< Names the limit or field involved, and the fix.
};

/// A value of type T or an Error; test ok() before value().
template <class T>
class [[nodiscard]] Result {
 public:
  /// Success holding value.
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  /// Failure holding error.
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  /// True when a value is held.
  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  /// The value; only valid when ok().
  T& value() & { assert(ok()); return std::get<0>(v_); }
  /// The value; only valid when ok().
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  /// Moves the value out; only valid when ok().
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  /// The error; only valid when !ok().
  [[nodiscard]] const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

/// Success or an Error, for operations with no value to return.
template <>
class [[nodiscard]] Result<void> {
 public:
  /// Failure holding error.
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  /// The success value; spelled out so a stray `return {};` cannot mean success.
  static Result success() { return Result(); }

  /// True on success.
  [[nodiscard]] bool ok() const { return !error_.has_value(); }
  /// The error; only valid when !ok().
  [[nodiscard]] const Error& error() const { assert(!ok()); return *error_; }

 private:
  Result() = default;
  std::optional<Error> error_;
};

/// Shorthand for Result<void>::success().
inline Result<void> success() { return Result<void>::success(); }

}  // namespace swell

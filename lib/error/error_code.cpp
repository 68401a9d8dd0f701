#include "swell/result.h"

namespace swell {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::invalid_config: return "invalid_config";
    case ErrorCode::io: return "io";
    case ErrorCode::key_file_missing: return "key_file_missing";
    case ErrorCode::key_file_permissions: return "key_file_permissions";
    case ErrorCode::key_file_corrupt: return "key_file_corrupt";
    case ErrorCode::crypto: return "crypto";
    case ErrorCode::invalid_peer_info: return "invalid_peer_info";
    case ErrorCode::truncated: return "truncated";
    case ErrorCode::unknown_version: return "unknown_version";
    case ErrorCode::unknown_kind: return "unknown_kind";
    case ErrorCode::bad_field_type: return "bad_field_type";
    case ErrorCode::oversized: return "oversized";
    case ErrorCode::bad_signature: return "bad_signature";
    case ErrorCode::bad_mac: return "bad_mac";
    case ErrorCode::malformed: return "malformed";
    case ErrorCode::unknown_sender: return "unknown_sender";
    case ErrorCode::replayed: return "replayed";
    case ErrorCode::wrong_peer: return "wrong_peer";
    case ErrorCode::wrong_protection: return "wrong_protection";
    case ErrorCode::not_admitted: return "not_admitted";
    case ErrorCode::no_peer_views: return "no_peer_views";
    case ErrorCode::not_running: return "not_running";
    case ErrorCode::wrong_state: return "wrong_state";
    case ErrorCode::unknown_member: return "unknown_member";
  }
  return "unknown_error";
}

}  // namespace swell

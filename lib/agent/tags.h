// Tags: the agent's key=value metadata, carried in PeerInfo::metadata as a compact JSON
// object of strings (sorted keys), so any language can read it without swell.
//
//   auto tags = swell::agent::parse_tag("zone=eu-1");        // from --tag or the config
//   auto bytes = swell::agent::encode_tags(all_tags);         // PeerInfo::metadata
//   auto back = swell::agent::decode_tags(info.metadata);     // nullopt: not tags
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "swell/bytes.h"
#include "swell/result.h"

namespace swell::agent {

/// Tag name to value; std::map keeps the encoding canonical.
using Tags = std::map<std::string, std::string>;

/// Checks a tag name: 1..64 of [A-Za-z0-9_.-]; the error names the tag.
Result<void> validate_tag_key(std::string_view key);
/// Parses "key=value" (value may be empty, may contain '=').
Result<std::pair<std::string, std::string>> parse_tag(std::string_view text);
/// The metadata bytes for tags: {"k":"v",...}; empty tags give empty metadata.
Bytes encode_tags(const Tags& tags);
/// Tags back from metadata, or nullopt when it is not a JSON object of strings (another
/// embedder's opaque metadata); empty metadata is empty tags.
std::optional<Tags> decode_tags(ByteView metadata);

}  // namespace swell::agent

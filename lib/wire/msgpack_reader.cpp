#include "wire/msgpack_reader.h"

namespace swell::wire {
namespace {

std::string type_name(std::uint8_t tag) {
  if (tag <= 0x7f || (tag >= 0xcc && tag <= 0xcf)) return "unsigned integer";
  if (tag >= 0xe0 || (tag >= 0xd0 && tag <= 0xd3)) return "negative integer";
  if ((tag & 0xf0) == 0x80 || tag == 0xde || tag == 0xdf) return "map";
  if ((tag & 0xf0) == 0x90 || tag == 0xdc || tag == 0xdd) return "array";
  if ((tag & 0xe0) == 0xa0 || (tag >= 0xd9 && tag <= 0xdb)) return "str";
  if (tag >= 0xc4 && tag <= 0xc6) return "bin";
  if (tag == 0xc0) return "nil";
  if (tag == 0xc2 || tag == 0xc3) return "boolean";
  if (tag == 0xca || tag == 0xcb) return "float";
  if (tag == 0xc1) return "the never-used byte 0xc1";
  return "ext";
}

}  // namespace

void MsgpackReader::fail(ErrorCode code, const std::string& message) {
  if (!error_) error_ = Error{code, message};
}

bool MsgpackReader::need(std::size_t n, const char* what) {
  if (error_) return false;
  if (remaining() < n) {
    fail(ErrorCode::truncated, std::string(what) + " needs " + std::to_string(n) + " bytes at offset " +
                                   std::to_string(pos_) + " but only " + std::to_string(remaining()) + " remain");
    return false;
  }
  return true;
}

std::uint64_t MsgpackReader::read_be(std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | bytes_[pos_ + i];
  pos_ += n;
  return v;
}

std::uint32_t MsgpackReader::length_header(std::uint8_t tag, const char* what, std::uint8_t fix_mask,
                                           std::uint8_t fix_base, std::uint8_t fix_bits, std::uint8_t t8,
                                           std::uint8_t t16, std::uint8_t t32, const char* kind) {
  std::size_t width = 0;
  if ((tag & fix_mask) == fix_base && fix_mask != 0) {
    ++pos_;
    return tag & fix_bits;
  }
  if (tag == t8 && t8 != 0) width = 1;
  else if (tag == t16) width = 2;
  else if (tag == t32) width = 4;
  else {
    fail(ErrorCode::bad_field_type, std::string(what) + " at offset " + std::to_string(pos_) + " must be " + kind +
                                        ", found " + type_name(tag));
    return 0;
  }
  if (!need(1 + width, what)) return 0;
  ++pos_;
  return static_cast<std::uint32_t>(read_be(width));
}

std::uint32_t MsgpackReader::array() {
  if (!need(1, "array")) return 0;
  const std::uint32_t n = length_header(bytes_[pos_], "array", 0xf0, 0x90, 0x0f, 0, 0xdc, 0xdd, "an array");
  // Every element takes at least one byte, so a count beyond what is left is a lie.
  if (ok() && n > remaining()) {
    fail(ErrorCode::truncated, "array claims " + std::to_string(n) + " elements but only " +
                                   std::to_string(remaining()) + " bytes remain");
    return 0;
  }
  return n;
}

std::uint32_t MsgpackReader::array_between_slow(std::uint32_t min, std::uint32_t max, const char* what) {
  if (!need(1, what)) return 0;
  const std::uint32_t n = length_header(bytes_[pos_], what, 0xf0, 0x90, 0x0f, 0, 0xdc, 0xdd, "an array");
  if (ok() && (n < min || n > max)) {
    fail(ErrorCode::bad_field_type, std::string(what) + " must have " +
                                        (min == max ? std::to_string(min) : std::to_string(min) + ".." + std::to_string(max)) +
                                        " elements, found " + std::to_string(n));
    return 0;
  }
  if (ok() && n > remaining()) {
    fail(ErrorCode::truncated, std::string(what) + " claims " + std::to_string(n) + " elements but only " +
                                   std::to_string(remaining()) + " bytes remain");
    return 0;
  }
  return ok() ? n : 0;
}

std::uint64_t MsgpackReader::uint_slow(const char* what) {
  if (!need(1, what)) return 0;
  const std::uint8_t tag = bytes_[pos_];
  if (tag <= 0x7f) {
    ++pos_;
    return tag;
  }
  std::size_t width = 0;
  switch (tag) {
    case 0xcc: width = 1; break;
    case 0xcd: width = 2; break;
    case 0xce: width = 4; break;
    case 0xcf: width = 8; break;
    default:
      fail(ErrorCode::bad_field_type, std::string(what) + " at offset " + std::to_string(pos_) +
                                          " must be an unsigned integer, found " + type_name(tag));
      return 0;
  }
  if (!need(1 + width, what)) return 0;
  ++pos_;
  return read_be(width);
}

std::uint64_t MsgpackReader::uint_at_most(std::uint64_t max, const char* what) {
  const std::uint64_t v = uint(what);
  if (ok() && v > max) {
    fail(ErrorCode::bad_field_type, std::string(what) + " is " + std::to_string(v) + ", above its maximum " +
                                        std::to_string(max));
    return 0;
  }
  return v;
}

bool MsgpackReader::boolean(const char* what) {
  if (!need(1, what)) return false;
  const std::uint8_t tag = bytes_[pos_];
  if (tag != 0xc2 && tag != 0xc3) {
    fail(ErrorCode::bad_field_type, std::string(what) + " at offset " + std::to_string(pos_) +
                                        " must be a boolean, found " + type_name(tag));
    return false;
  }
  ++pos_;
  return tag == 0xc3;
}

ByteView MsgpackReader::bin(const char* what) {
  if (!need(1, what)) return {};
  const std::uint32_t n = length_header(bytes_[pos_], what, 0, 0, 0, 0xc4, 0xc5, 0xc6, "bin");
  if (!need(n, what)) return {};
  const ByteView out = bytes_.subspan(pos_, n);
  pos_ += n;
  return out;
}

ByteView MsgpackReader::bin_of(std::size_t size, const char* what) {
  const ByteView out = bin(what);
  if (ok() && out.size() != size) {
    fail(ErrorCode::bad_field_type, std::string(what) + " must be " + std::to_string(size) + " bytes, found " +
                                        std::to_string(out.size()));
    return {};
  }
  return out;
}

std::string_view MsgpackReader::str(const char* what) {
  if (!need(1, what)) return {};
  const std::uint32_t n = length_header(bytes_[pos_], what, 0xe0, 0xa0, 0x1f, 0xd9, 0xda, 0xdb, "a str");
  if (!need(n, what)) return {};
  const std::string_view out(reinterpret_cast<const char*>(bytes_.data() + pos_), n);
  pos_ += n;
  return out;
}

ByteView MsgpackReader::raw_value(const char* what) {
  const std::size_t start = pos_;
  // A count of values still to skip instead of recursion: depth costs no stack, and
  // every iteration consumes at least one byte, so the loop is bounded by the input.
  std::uint64_t pending = 1;
  while (pending > 0 && ok()) {
    if (!need(1, what)) break;
    const std::uint8_t tag = bytes_[pos_];
    --pending;
    std::size_t skip = 0;
    std::uint64_t children = 0;
    if (tag <= 0x7f || tag >= 0xe0 || tag == 0xc0 || tag == 0xc2 || tag == 0xc3) {
      skip = 1;
    } else if ((tag & 0xf0) == 0x80) {
      skip = 1, children = 2ull * (tag & 0x0f);
    } else if ((tag & 0xf0) == 0x90) {
      skip = 1, children = tag & 0x0f;
    } else if ((tag & 0xe0) == 0xa0) {
      skip = 1 + (tag & 0x1f);
    } else {
      switch (tag) {
        case 0xcc: case 0xd0: skip = 2; break;
        case 0xcd: case 0xd1: skip = 3; break;
        case 0xce: case 0xd2: case 0xca: skip = 5; break;
        case 0xcf: case 0xd3: case 0xcb: skip = 9; break;
        case 0xd4: skip = 3; break;
        case 0xd5: skip = 4; break;
        case 0xd6: skip = 6; break;
        case 0xd7: skip = 10; break;
        case 0xd8: skip = 18; break;
        case 0xc4: case 0xd9: case 0xc7:
          if (!need(2, what)) break;
          skip = 2 + bytes_[pos_ + 1] + (tag == 0xc7 ? 1 : 0);
          break;
        case 0xc5: case 0xda: case 0xc8:
          if (!need(3, what)) break;
          skip = 3 + ((std::size_t{bytes_[pos_ + 1]} << 8) | bytes_[pos_ + 2]) + (tag == 0xc8 ? 1 : 0);
          break;
        case 0xc6: case 0xdb: case 0xc9: {
          if (!need(5, what)) break;
          std::size_t n = 0;
          for (int i = 1; i <= 4; ++i) n = (n << 8) | bytes_[pos_ + i];
          skip = 5 + n + (tag == 0xc9 ? 1 : 0);
          break;
        }
        case 0xdc: case 0xde: {
          if (!need(3, what)) break;
          const std::uint64_t n = (std::uint64_t{bytes_[pos_ + 1]} << 8) | bytes_[pos_ + 2];
          skip = 3, children = tag == 0xde ? 2 * n : n;
          break;
        }
        case 0xdd: case 0xdf: {
          if (!need(5, what)) break;
          std::uint64_t n = 0;
          for (int i = 1; i <= 4; ++i) n = (n << 8) | bytes_[pos_ + i];
          skip = 5, children = tag == 0xdf ? 2 * n : n;
          break;
        }
        default:
          fail(ErrorCode::malformed, std::string(what) + " has the never-used byte 0xc1 at offset " +
                                         std::to_string(pos_));
          break;
      }
    }
    if (!ok() || !need(skip, what)) break;
    pos_ += skip;
    pending += children;
    if (pending > remaining()) {
      fail(ErrorCode::truncated, std::string(what) + " claims more elements than bytes remain");
      break;
    }
  }
  if (!ok()) return {};
  return bytes_.subspan(start, pos_ - start);
}

void MsgpackReader::trailing_bytes(const char* what) {
  fail(ErrorCode::malformed, std::string(what) + " has " + std::to_string(remaining()) + " unexpected trailing bytes");
}

}  // namespace swell::wire

// Fuzzes wire::MsgpackReader directly with a small interpreter. Input layout:
//
//   [n] [n program bytes] [msgpack bytes...]
//
// Each program byte picks a read (low nibble, modulo 13) and its argument (high
// nibble); when the program runs out, raw_value() skips values to the end. The
// msgpack bytes are copied into a buffer of exactly their size, so AddressSanitizer
// reports any read past the end.
//
// After every read: the cursor only moves forward and stays inside the buffer; errors
// are sticky (no movement, zero results, first error kept); a successful read
// consumed exactly the header and body its first byte announces, and returned views
// alias those bytes; raw_value() agrees with msgpack-c's parser on where a value ends.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>

#include <msgpack.hpp>

#include "invariant.h"
#include "wire/msgpack_reader.h"

namespace {

using namespace swell;
using namespace swell::wire;

enum class Op : std::uint8_t {
  array, array_of, array_between, uint, uint_at_most, boolean, bin, bin_of, str, nil_if_present, raw_value,
  expect_end, fail, count
};

// A length-prefixed header as the first byte announces it: header bytes and length.
struct Header {
  std::size_t header_bytes;
  std::uint64_t length;
};

class Interpreter {
 public:
  explicit Interpreter(ByteView bytes) : bytes_(bytes), reader_(bytes) {}

  void run(Op op, std::uint8_t arg) {
    const std::size_t start = reader_.position();
    const bool was_ok = reader_.ok();
    const std::optional<ErrorCode> first_error = was_ok ? std::nullopt : std::optional(reader_.error().code);
    bool zero_result = true;  // whether this read returned a zero value / empty view

    switch (op) {
      case Op::array: {
        const std::uint32_t n = reader_.array();
        zero_result = n == 0;
        if (succeeded(was_ok)) {
          check_header(start, array_header(start), n);
          SWELL_FUZZ_REQUIRE(n <= reader_.remaining());
        }
        break;
      }
      case Op::array_of: {
        reader_.array_of(arg, "array_of");
        if (succeeded(was_ok)) check_header(start, array_header(start), arg);
        break;
      }
      case Op::array_between: {
        const std::uint32_t min = arg & 3u;
        const std::uint32_t max = min + (arg >> 2) * 4u;
        const std::uint32_t n = reader_.array_between(min, max, "array_between");
        zero_result = n == 0;
        if (succeeded(was_ok)) {
          check_header(start, array_header(start), n);
          SWELL_FUZZ_REQUIRE(n >= min && n <= max && n <= reader_.remaining());
        }
        break;
      }
      case Op::uint:
      case Op::uint_at_most: {
        const std::uint64_t max = arg == 15 ? UINT64_MAX : (std::uint64_t{1} << (4 * arg)) - 1;
        const std::uint64_t v = op == Op::uint ? reader_.uint("uint") : reader_.uint_at_most(max, "uint_at_most");
        zero_result = v == 0;
        if (succeeded(was_ok)) {
          check_header(start, uint_header(start), v);
          if (op == Op::uint_at_most) SWELL_FUZZ_REQUIRE(v <= max);
        }
        break;
      }
      case Op::boolean: {
        const bool v = reader_.boolean("boolean");
        zero_result = !v;
        if (succeeded(was_ok)) {
          SWELL_FUZZ_REQUIRE(reader_.position() == start + 1);
          SWELL_FUZZ_REQUIRE(bytes_[start] == (v ? 0xc3 : 0xc2));
        }
        break;
      }
      case Op::bin:
      case Op::bin_of: {
        const std::size_t size = arg == 15 ? 32 : arg;
        const ByteView v = op == Op::bin ? reader_.bin("bin") : reader_.bin_of(size, "bin_of");
        zero_result = v.empty();
        if (succeeded(was_ok)) {
          check_body(start, bin_header(start), v);
          if (op == Op::bin_of) SWELL_FUZZ_REQUIRE(v.size() == size);
        }
        break;
      }
      case Op::str: {
        const std::string_view v = reader_.str("str");
        zero_result = v.empty();
        if (succeeded(was_ok)) {
          check_body(start, str_header(start), ByteView(reinterpret_cast<const std::uint8_t*>(v.data()), v.size()));
        }
        break;
      }
      case Op::nil_if_present: {
        const bool v = reader_.nil_if_present();
        zero_result = !v;
        SWELL_FUZZ_REQUIRE(reader_.ok() == was_ok);
        if (v) {
          SWELL_FUZZ_REQUIRE(reader_.position() == start + 1 && bytes_[start] == 0xc0);
        } else {
          SWELL_FUZZ_REQUIRE(reader_.position() == start);
          if (was_ok && start < bytes_.size()) SWELL_FUZZ_REQUIRE(bytes_[start] != 0xc0);
        }
        break;
      }
      case Op::raw_value: {
        const ByteView v = reader_.raw_value("raw_value");
        zero_result = v.empty();
        if (was_ok) check_raw_value(start, v);
        break;
      }
      case Op::expect_end: {
        reader_.expect_end("expect_end");
        if (was_ok) SWELL_FUZZ_REQUIRE(reader_.ok() == (start == bytes_.size()));
        break;
      }
      case Op::fail:
      case Op::count: {
        reader_.fail(arg & 1 ? ErrorCode::oversized : ErrorCode::malformed, "fail");
        SWELL_FUZZ_REQUIRE(!reader_.ok());
        break;
      }
    }

    SWELL_FUZZ_REQUIRE(reader_.position() + reader_.remaining() == bytes_.size());
    SWELL_FUZZ_REQUIRE(reader_.position() >= start);
    if (!was_ok) {
      // Sticky: a failed reader reads nothing, returns zero values and keeps its first error.
      SWELL_FUZZ_REQUIRE(!reader_.ok() && reader_.error().code == *first_error);
      SWELL_FUZZ_REQUIRE(reader_.position() == start && zero_result);
    } else if (!reader_.ok()) {
      SWELL_FUZZ_REQUIRE(zero_result);
    }
  }

  MsgpackReader& reader() { return reader_; }

 private:
  bool succeeded(bool was_ok) const { return was_ok && reader_.ok(); }

  std::uint64_t read_be(std::size_t at, std::size_t n) const {
    SWELL_FUZZ_REQUIRE(at + n <= bytes_.size());
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | bytes_[at + i];
    return v;
  }

  // Header after a tag byte with a big-endian length of width bytes.
  Header wide(std::size_t at, std::size_t width) const { return Header{1 + width, read_be(at + 1, width)}; }

  Header array_header(std::size_t at) const {
    SWELL_FUZZ_REQUIRE(at < bytes_.size());
    const std::uint8_t tag = bytes_[at];
    if ((tag & 0xf0) == 0x90) return Header{1, tag & 0x0fu};
    SWELL_FUZZ_REQUIRE(tag == 0xdc || tag == 0xdd);
    return wide(at, tag == 0xdc ? 2 : 4);
  }

  Header uint_header(std::size_t at) const {
    SWELL_FUZZ_REQUIRE(at < bytes_.size());
    const std::uint8_t tag = bytes_[at];
    if (tag <= 0x7f) return Header{1, tag};
    SWELL_FUZZ_REQUIRE(tag >= 0xcc && tag <= 0xcf);
    return wide(at, std::size_t{1} << (tag - 0xcc));
  }

  Header bin_header(std::size_t at) const {
    SWELL_FUZZ_REQUIRE(at < bytes_.size());
    const std::uint8_t tag = bytes_[at];
    SWELL_FUZZ_REQUIRE(tag >= 0xc4 && tag <= 0xc6);
    return wide(at, std::size_t{1} << (tag - 0xc4));
  }

  Header str_header(std::size_t at) const {
    SWELL_FUZZ_REQUIRE(at < bytes_.size());
    const std::uint8_t tag = bytes_[at];
    if ((tag & 0xe0) == 0xa0) return Header{1, tag & 0x1fu};
    SWELL_FUZZ_REQUIRE(tag >= 0xd9 && tag <= 0xdb);
    return wide(at, std::size_t{1} << (tag - 0xd9));
  }

  // A read of a header only (array, uint): it consumed the header and returned its value.
  void check_header(std::size_t start, Header h, std::uint64_t value) const {
    SWELL_FUZZ_REQUIRE(reader_.position() == start + h.header_bytes);
    SWELL_FUZZ_REQUIRE(value == h.length);
  }

  // A read of header and body (bin, str): the view is the body, right after the header.
  void check_body(std::size_t start, Header h, ByteView view) const {
    SWELL_FUZZ_REQUIRE(view.size() == h.length);
    SWELL_FUZZ_REQUIRE(reader_.position() == start + h.header_bytes + h.length);
    if (!view.empty()) SWELL_FUZZ_REQUIRE(view.data() == bytes_.data() + start + h.header_bytes);
    SWELL_FUZZ_REQUIRE(fuzz::within(view, bytes_));
  }

  // raw_value() must end a value exactly where msgpack-c's parser does, and fail
  // exactly when msgpack-c finds no complete value.
  void check_raw_value(std::size_t start, ByteView view) const {
    msgpack::null_visitor visitor;
    std::size_t end = 0;
    const bool parsed = msgpack::parse(reinterpret_cast<const char*>(bytes_.data()) + start, bytes_.size() - start,
                                       end, visitor);
    if (!reader_.ok()) {
      SWELL_FUZZ_REQUIRE(!parsed);
      return;
    }
    SWELL_FUZZ_REQUIRE(parsed && end == view.size());
    SWELL_FUZZ_REQUIRE(!view.empty() && view.data() == bytes_.data() + start);
    SWELL_FUZZ_REQUIRE(reader_.position() == start + view.size());
  }

  ByteView bytes_;
  MsgpackReader reader_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t program_size = std::min<std::size_t>(data[0], size - 1);
  const std::uint8_t* program = data + 1;
  const std::size_t input_size = size - 1 - program_size;
  // An exact-size copy: one byte past the end is an ASan redzone.
  const auto input = std::make_unique<std::uint8_t[]>(input_size);
  if (input_size > 0) std::memcpy(input.get(), program + program_size, input_size);

  Interpreter interpreter(ByteView(input.get(), input_size));
  constexpr auto kOps = static_cast<std::uint8_t>(Op::count);
  for (std::size_t i = 0; i < program_size; ++i) {
    interpreter.run(static_cast<Op>((program[i] & 0x0f) % kOps), static_cast<std::uint8_t>(program[i] >> 4));
  }
  // Every raw_value() that succeeds consumes at least one byte, so this ends.
  while (interpreter.reader().ok() && interpreter.reader().remaining() > 0) {
    interpreter.run(Op::raw_value, 0);
  }
  interpreter.run(Op::expect_end, 0);
  return 0;
}

#include <doctest/doctest.h>

#include <msgpack.hpp>

#include "wire/msgpack_reader.h"
#include "wire/msgpack_writer.h"

using swell::Bytes;
using swell::ErrorCode;
using swell::wire::ByteSink;
using swell::wire::MsgpackReader;
using swell::wire::Packer;

TEST_CASE("the reader reads every integer width msgpack-c writes") {
  const std::uint64_t values[] = {0, 1, 127, 128, 255, 256, 65535, 65536, 0xffffffffull, 0x100000000ull,
                                  0xffffffffffffffffull};
  for (const std::uint64_t v : values) {
    Bytes out;
    ByteSink sink(out);
    Packer packer(sink);
    packer.pack_uint64(v);
    CHECK(out.size() == swell::wire::uint_size(v));
    MsgpackReader reader(out);
    CHECK(reader.uint("v") == v);
    reader.expect_end("v");
    CHECK(reader.ok());
  }
}

TEST_CASE("the reader agrees with msgpack-c on strings, bins, arrays, booleans and nil") {
  Bytes out;
  ByteSink sink(out);
  Packer packer(sink);
  packer.pack_array(6);
  swell::wire::pack_str(packer, std::string(40, 's'));
  swell::wire::pack_bin(packer, Bytes(300, 7));
  packer.pack_true();
  packer.pack_false();
  packer.pack_nil();
  packer.pack_array(20);
  for (int i = 0; i < 20; ++i) packer.pack_uint8(static_cast<std::uint8_t>(i));

  // msgpack-c itself accepts the bytes.
  const auto handle = msgpack::unpack(reinterpret_cast<const char*>(out.data()), out.size());
  CHECK(handle.get().via.array.size == 6);

  MsgpackReader reader(out);
  CHECK(reader.array() == 6);
  CHECK(reader.str("s") == std::string(40, 's'));
  CHECK(reader.bin("b").size() == 300);
  CHECK(reader.boolean("t"));
  CHECK_FALSE(reader.boolean("f"));
  CHECK(reader.nil_if_present());
  const auto raw = reader.raw_value("list");
  CHECK(raw.size() == 3 + 20);
  reader.expect_end("all");
  CHECK(reader.ok());
}

TEST_CASE("the reader reports each kind of bad input as a typed error") {
  SUBCASE("truncated integer") {
    const Bytes b{0xcd, 0x01};
    MsgpackReader r(b);
    (void)r.uint("x");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::truncated);
  }
  SUBCASE("wrong type") {
    const Bytes b{0xa1, 'x'};
    MsgpackReader r(b);
    (void)r.uint("x");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::bad_field_type);
    CHECK(r.error().message.find("found str") != std::string::npos);
  }
  SUBCASE("array count larger than the input") {
    const Bytes b{0xdd, 0xff, 0xff, 0xff, 0xff, 0x01};
    MsgpackReader r(b);
    (void)r.array();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::truncated);
  }
  SUBCASE("bin length larger than the input") {
    const Bytes b{0xc6, 0x7f, 0xff, 0xff, 0xff, 0x01};
    MsgpackReader r(b);
    (void)r.bin("x");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::truncated);
  }
  SUBCASE("skipping a value that claims billions of children") {
    const Bytes b{0xdf, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02};
    MsgpackReader r(b);
    (void)r.raw_value("x");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::truncated);
  }
  SUBCASE("the never-used byte") {
    const Bytes b{0x91, 0xc1};
    MsgpackReader r(b);
    (void)r.raw_value("x");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::malformed);
  }
  SUBCASE("trailing bytes") {
    const Bytes b{0x01, 0x02};
    MsgpackReader r(b);
    (void)r.uint("x");
    r.expect_end("x");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::malformed);
  }
  SUBCASE("errors are sticky: later reads return zero values") {
    const Bytes b{0xc0, 0x05};
    MsgpackReader r(b);
    (void)r.uint("x");
    CHECK(r.uint("y") == 0);
    CHECK(r.error().message.find("x") != std::string::npos);
  }
}

TEST_CASE("deeply nested input is skipped without recursion") {
  Bytes deep(100000, 0x91);  // [[[[...]]]] a hundred thousand deep
  deep.push_back(0x01);
  MsgpackReader r(deep);
  CHECK(r.raw_value("deep").size() == deep.size());
  CHECK(r.ok());
}

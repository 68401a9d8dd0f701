#include <doctest/doctest.h>

#include "runtime/frame_reader.h"

using swell::Bytes;
using swell::runtime::FrameReader;

TEST_CASE("a frame arrives whole however the stream splits it") {
  Bytes wire;
  swell::runtime::append_length_prefix(wire, 5);
  wire.insert(wire.end(), {'h', 'e', 'l', 'l', 'o', 'X'});  // one byte past the frame
  for (std::size_t split = 0; split <= wire.size(); ++split) {
    FrameReader r(100);
    auto first = r.feed(swell::ByteView(wire.data(), split));
    auto second = r.feed(swell::ByteView(wire.data() + split, wire.size() - split));
    CHECK((first == FrameReader::Status::complete || second == FrameReader::Status::complete));
    CHECK(r.frame() == Bytes{'h', 'e', 'l', 'l', 'o'});
  }
}

TEST_CASE("a length prefix over the cap is refused before anything is stored") {
  Bytes wire;
  swell::runtime::append_length_prefix(wire, 0xffffffffu);
  FrameReader r(1024);
  CHECK(r.feed(wire) == FrameReader::Status::oversized);
  CHECK(r.frame().empty());
  Bytes empty;
  swell::runtime::append_length_prefix(empty, 0);
  FrameReader z(1024);
  CHECK(z.feed(empty) == FrameReader::Status::complete);
}

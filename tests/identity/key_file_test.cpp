#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "swell/identity.h"

using swell::ErrorCode;
using swell::Identity;

namespace {

// A private temporary directory, removed with everything in it.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/swell-key-test-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf " + path).c_str()); }
  [[nodiscard]] std::string file(const std::string& name) const { return path + "/" + name; }
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_all(const std::string& path, const std::string& bytes, mode_t mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  ::chmod(path.c_str(), mode);
}

}  // namespace

TEST_CASE("an identity saved to a key file loads back identical, with mode 0600") {
  TempDir dir;
  auto made = Identity::generate();
  REQUIRE(made.ok());
  const std::string path = dir.file("node.key");
  REQUIRE(made.value().save(path).ok());
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(st.st_size == static_cast<off_t>(Identity::kKeyFileSize));
  auto loaded = Identity::load(path);
  REQUIRE(loaded.ok());
  CHECK(loaded.value().id() == made.value().id());
  // The loaded key signs exactly as the original does (Ed25519 is deterministic).
  const swell::Bytes msg{1, 2, 3};
  CHECK(loaded.value().sign(msg) == made.value().sign(msg));
}

TEST_CASE("a missing key file says how to create one") {
  TempDir dir;
  auto loaded = Identity::load(dir.file("absent.key"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().code == ErrorCode::key_file_missing);
  CHECK(loaded.error().message.find("swell-agent keygen") != std::string::npos);
}

TEST_CASE("a key file readable by others is refused with the chmod to run") {
  TempDir dir;
  auto made = Identity::generate();
  REQUIRE(made.ok());
  const std::string path = dir.file("open.key");
  REQUIRE(made.value().save(path).ok());
  for (mode_t mode : {0644, 0640, 0604, 0660}) {
    ::chmod(path.c_str(), mode);
    auto loaded = Identity::load(path);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code == ErrorCode::key_file_permissions);
    CHECK(loaded.error().message.find("chmod 600") != std::string::npos);
  }
}

TEST_CASE("truncated, oversized, foreign and damaged key files are refused") {
  TempDir dir;
  auto made = Identity::generate();
  REQUIRE(made.ok());
  const std::string good_path = dir.file("good.key");
  REQUIRE(made.value().save(good_path).ok());
  const std::string good = read_all(good_path);
  REQUIRE(good.size() == Identity::kKeyFileSize);
  const std::string path = dir.file("bad.key");

  SUBCASE("empty") { write_all(path, "", 0600); }
  SUBCASE("truncated") { write_all(path, good.substr(0, 40), 0600); }
  SUBCASE("one byte short") { write_all(path, good.substr(0, good.size() - 1), 0600); }
  SUBCASE("one byte long") { write_all(path, good + "x", 0600); }
  SUBCASE("wrong size, not ours") { write_all(path, std::string(32, 'k'), 0600); }
  SUBCASE("right size, no magic") { write_all(path, std::string(good.size(), 'k'), 0600); }
  SUBCASE("public key does not match seed") {
    std::string damaged = good;
    damaged.back() = static_cast<char>(damaged.back() ^ 1);
    write_all(path, damaged, 0600);
  }
  auto loaded = Identity::load(path);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().code == ErrorCode::key_file_corrupt);
  CHECK(loaded.error().message.find(path) != std::string::npos);
}

TEST_CASE("identities from the same seed are equal and sign verifiably") {
  std::array<std::uint8_t, 32> seed{};
  seed[0] = 42;
  auto a = Identity::from_seed(seed);
  auto b = Identity::from_seed(seed);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a.value().id() == b.value().id());
  const swell::Bytes msg{9, 9, 9};
  const auto sig = a.value().sign(msg);
  CHECK(swell::verify_signature(a.value().id(), msg, sig));
  swell::Bytes other = msg;
  other[0] = 8;
  CHECK_FALSE(swell::verify_signature(a.value().id(), other, sig));
}

TEST_CASE("two identities agree on the same shared secret") {
  auto a = Identity::generate();
  auto b = Identity::generate();
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  auto ab = a.value().agree(b.value().id());
  auto ba = b.value().agree(a.value().id());
  REQUIRE(ab.ok());
  REQUIRE(ba.ok());
  CHECK(ab.value() == ba.value());
  // The all-zero key is a low-order point: agreement must fail, not yield zeros.
  CHECK_FALSE(a.value().agree(swell::NodeId{}).ok());
}

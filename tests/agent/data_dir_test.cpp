#include <doctest/doctest.h>

#include <sys/stat.h>

#include <string>

#include "agent/data_dir.h"
#include "agent/temp_dir.h"

using namespace swell;
using namespace swell::agent;
using swell::test::TempDir;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("prepare_data_dir creates the directory and its parents 0700") {
  TempDir dir;
  const std::string data = dir.at("a/b/data");
  REQUIRE(prepare_data_dir(data + "/").ok());
  CHECK(mode_of(data) == 0700);
  CHECK(mode_of(dir.at("a")) == 0700);
  CHECK(prepare_data_dir(data).ok());  // already there
}

TEST_CASE("prepare_data_dir refuses a path that is a file") {
  TempDir dir;
  dir.write("file", "x");
  for (const std::string& path : {dir.at("file"), dir.at("file/sub")}) {
    auto ok = prepare_data_dir(path);
    REQUIRE_FALSE(ok.ok());
    INFO(ok.error().message);
    CHECK(ok.error().code == ErrorCode::invalid_config);
    CHECK(ok.error().message.find("not a directory") != std::string::npos);
    CHECK(ok.error().message.find(dir.at("file")) != std::string::npos);
  }
  CHECK_FALSE(prepare_data_dir("").ok());
}

TEST_CASE("load_or_create_key creates the key 0600 in a new 0700 directory, then loads it") {
  TempDir dir;
  AgentSettings s;
  s.data_dir = dir.at("data");
  s.key_file = dir.at("data/node.key");
  s.create_key = true;
  auto first = load_or_create_key(s);
  REQUIRE_MESSAGE(first.ok(), first.error().message);
  CHECK(mode_of(s.key_file) == 0600);
  CHECK(mode_of(s.data_dir) == 0700);
  auto second = load_or_create_key(s);
  REQUIRE_MESSAGE(second.ok(), second.error().message);
  CHECK(second.value().id() == first.value().id());
}

TEST_CASE("load_or_create_key without create_key names keygen and --create-key") {
  TempDir dir;
  AgentSettings s;
  s.key_file = dir.at("node.key");
  auto key = load_or_create_key(s);
  REQUIRE_FALSE(key.ok());
  CHECK(key.error().code == ErrorCode::key_file_missing);
  CHECK(key.error().message.find("swell-agent keygen " + s.key_file) != std::string::npos);
  CHECK(key.error().message.find("--create-key") != std::string::npos);
  struct stat st {};
  CHECK(stat(s.key_file.c_str(), &st) != 0);  // nothing created
}

TEST_CASE("a group- or world-readable key is refused with Identity::load's message") {
  TempDir dir;
  AgentSettings s;
  s.key_file = dir.at("node.key");
  s.create_key = true;  // never overwrites an existing key
  REQUIRE(load_or_create_key(s).ok());
  for (unsigned mode : {0644u, 0640u}) {
    REQUIRE(chmod(s.key_file.c_str(), mode) == 0);
    auto key = load_or_create_key(s);
    REQUIRE_FALSE(key.ok());
    INFO(key.error().message);
    CHECK(key.error().code == ErrorCode::key_file_permissions);
    CHECK(key.error().message.find("chmod 600 " + s.key_file) != std::string::npos);
  }
}

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "core/private_file.hpp"
#include "scoped_umask.hpp"
#include "scratch_directory.hpp"

namespace sb {
namespace {

using testing::ScopedUmask;

mode_t modeOf(const std::string& path) { return testing::permissionsOf(path.c_str()); }

TEST(PrivateFile, IsCreated0600WhateverTheUmask) {
  testing::ScratchDirectory dir;
  for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{0277}}) {
    ScopedUmask scoped(mask);
    const std::string path = dir.file("created-" + std::to_string(mask));
    ASSERT_TRUE(ensurePrivateFile(path).isOk());
    EXPECT_EQ(modeOf(path), 0600u) << "umask " << mask;
  }
}

TEST(PrivateFile, AnExistingFileIsTightenedAndKeepsItsContent) {
  testing::ScratchDirectory dir;
  const std::string path = dir.file("old.log");
  std::ofstream(path) << "earlier line\n";
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  ASSERT_TRUE(ensurePrivateFile(path).isOk());
  EXPECT_EQ(modeOf(path), 0600u);
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "earlier line");

  const std::string wal = dir.file("old.db-wal");
  std::ofstream(wal) << "x";
  ASSERT_EQ(::chmod(wal.c_str(), 0666), 0);
  ASSERT_TRUE(restrictIfPresent(wal).isOk());
  EXPECT_EQ(modeOf(wal), 0600u);
  EXPECT_TRUE(restrictIfPresent(dir.file("missing-shm")).isOk());
}

TEST(PrivateFile, ASymlinkOrAMissingDirectoryIsAnError) {
  testing::ScratchDirectory dir;
  const std::string target = dir.file("target");
  std::ofstream(target) << "x";
  const std::string link = dir.file("link");
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  const Status refused = ensurePrivateFile(link);
  EXPECT_EQ(refused.code(), ErrorCode::Unavailable);
  EXPECT_NE(refused.message().find(link), std::string::npos) << refused.message();
  EXPECT_FALSE(ensurePrivateFile(dir.file("no/such/dir/file")).isOk());
}

}  // namespace
}  // namespace sb

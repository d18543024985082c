// The C and C++ compilers must agree on the ABI version and struct layout.
#include <gtest/gtest.h>

#include "switchboard/abi.h"

extern "C" {
uint32_t sb_c_abi_major(void);
uint32_t sb_c_abi_minor(void);
size_t sb_c_sizeof_plugin(void);
size_t sb_c_sizeof_host_api(void);
}

TEST(AbiHeaderAsC, AgreesWithCppOnVersionAndLayout) {
  EXPECT_EQ(sb_c_abi_major(), SB_ABI_VERSION_MAJOR);
  EXPECT_EQ(sb_c_abi_minor(), SB_ABI_VERSION_MINOR);
  EXPECT_EQ(sb_c_sizeof_plugin(), sizeof(sb_plugin));
  EXPECT_EQ(sb_c_sizeof_host_api(), sizeof(sb_host_api));
}

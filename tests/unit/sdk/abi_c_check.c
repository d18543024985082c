/* Compiled as C11: proves abi.h is valid C and that its _Static_asserts hold
 * under a C compiler. The function reports the ABI version the C side sees so
 * the C++ test can compare it with what C++ sees. */
#include "switchboard/abi.h"

#if !defined(__STDC_VERSION__) || __STDC_VERSION__ < 201112L
#error "abi.h must be checked with a C11 compiler"
#endif

uint32_t sb_c_abi_major(void);
uint32_t sb_c_abi_minor(void);
size_t sb_c_sizeof_plugin(void);
size_t sb_c_sizeof_host_api(void);

uint32_t sb_c_abi_major(void) { return SB_ABI_VERSION_MAJOR; }
uint32_t sb_c_abi_minor(void) { return SB_ABI_VERSION_MINOR; }
size_t sb_c_sizeof_plugin(void) { return sizeof(sb_plugin); }
size_t sb_c_sizeof_host_api(void) { return sizeof(sb_host_api); }

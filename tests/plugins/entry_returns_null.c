/* Exports the entry symbol, but it returns NULL instead of a descriptor. */
#include <switchboard/abi.h>

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return NULL; }

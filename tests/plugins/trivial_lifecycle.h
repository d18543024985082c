/* The do-nothing lifecycle the test plugins share, so each file shows only the
 * one thing that makes it broken. Include once, from a plugin's single .c file. */
#ifndef SWITCHBOARD_TEST_TRIVIAL_LIFECYCLE_H
#define SWITCHBOARD_TEST_TRIVIAL_LIFECYCLE_H

#include <switchboard/abi.h>

#define S(text) {text, sizeof(text) - 1}

static sb_status on_init(const sb_host_api* host, sb_str settings, void** out_instance,
                         sb_output* error) {
  (void)host;
  (void)settings;
  (void)error;
  *out_instance = NULL;
  return SB_OK;
}

/* Unused in the plugin that leaves on_destroy NULL on purpose. */
__attribute__((unused)) static void on_destroy(void* instance) { (void)instance; }

#endif

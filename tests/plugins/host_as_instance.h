/* The lifecycle of the test plugins whose hooks only need the host table: the
 * instance is the sb_host_api pointer on_init was given. Include once, from a
 * plugin's single .c file. Thread-safety: no state of its own. */
#ifndef SWITCHBOARD_TEST_HOST_AS_INSTANCE_H
#define SWITCHBOARD_TEST_HOST_AS_INSTANCE_H

#include <switchboard/abi.h>

#define S(text) {text, sizeof(text) - 1}

static sb_status on_init(const sb_host_api* host, sb_str settings, void** out_instance,
                         sb_output* error) {
  (void)settings;
  (void)error;
  *out_instance = (void*)host;
  return SB_OK;
}

static void on_destroy(void* instance) { (void)instance; }

#endif

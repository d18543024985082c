// Exports HelloPlugin as this library's single entry symbol.
#include "hello_plugin.hpp"

SWITCHBOARD_PLUGIN(HelloPlugin)

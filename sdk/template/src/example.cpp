// Exports ExamplePlugin as this library's single entry symbol.
#include "example_plugin.hpp"

SWITCHBOARD_PLUGIN(ExamplePlugin)

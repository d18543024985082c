// Exports NetlifyPlugin as this library's single entry symbol.
#include "netlify_plugin.hpp"

SWITCHBOARD_PLUGIN(NetlifyPlugin)

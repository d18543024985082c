// Status routes: being written.
#include "http/api_routes.hpp"

namespace sb::http {

void addStatusRoutes(Router&, const ApiContext&) {}

}  // namespace sb::http

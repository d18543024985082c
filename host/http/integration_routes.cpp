// Integration routes: being written.
#include "http/api_routes.hpp"

namespace sb::http {

void addIntegrationRoutes(Router&, const ApiContext&) {}

}  // namespace sb::http

#include "store/store.hpp"

#include "store/sql_store.hpp"

namespace sb {

Result<std::unique_ptr<Store>> Store::open(const DatabaseConfig& config) {
  auto database = store::Database::open(config);
  if (!database) return database.status();
  return std::unique_ptr<Store>(std::make_unique<store::SqlStore>(std::move(database.value())));
}

}  // namespace sb

#include "bot/data_cli.hpp"

#include "bot/router.hpp"
#include "bot/utc_time.hpp"
#include "integrations/http/client.hpp"
#include "storage/backup.hpp"
#include "storage/instance_lock.hpp"

#include <filesystem>

namespace bot {
namespace {

bool one_argument(const std::vector<std::string>& args, std::string_view usage, std::ostream& err) {
  if (args.size() == 1 && !args.front().empty() && args.front().front() != '-') return true;
  err << "playbook-bot: usage: " << usage << "\n";
  return false;
}

void report(const storage::check_report& r, std::ostream& out) {
  out << "schema version " << r.schema_version << " (this build writes " << r.supported_version
      << "), " << r.bytes << " bytes, " << r.vendors << " vendors, " << r.decisions
      << " decisions, " << r.reviews << " reviews\n";
}

}  // namespace

int run_backup(const std::vector<std::string>& args, const settings& s, std::ostream& out,
               std::ostream& err) {
  if (!one_argument(args, "playbook-bot backup [--config FILE] DEST", err)) return 2;
  if (!std::filesystem::exists(s.db_path)) {
    err << "playbook-bot: backup: there is no database at " << s.db_path << " (PLAYBOOK_DB)\n";
    return 1;
  }
  try {
    const auto r = storage::backup(s.db_path, args.front());
    out << "backed up " << s.db_path << " to " << r.path << " (" << r.bytes
        << " bytes, schema version " << r.schema_version << ")\n";
    return 0;
  } catch (const std::exception& e) {
    err << "playbook-bot: backup failed: " << e.what() << "\n";
    return 1;
  }
}

int run_restore(const std::vector<std::string>& args, const settings& s, std::ostream& out,
                std::ostream& err) {
  if (!one_argument(args, "playbook-bot restore [--config FILE] BACKUP", err)) return 2;
  const std::string& from = args.front();
  // Nothing is lost by a restore: the database it replaces is kept next to it.
  const bool replacing = std::filesystem::exists(s.db_path);
  const std::string kept =
      replacing ? s.db_path + ".before-restore-" + utc_text(system_now(), "%Y%m%dT%H%M%SZ") : "";
  try {
    const auto r = storage::restore(from, s.db_path, kept);
    if (replacing) out << "kept the current database as " << kept << "\n";
    out << "restored " << s.db_path << " from " << from << ": ";
    report(r, out);
    if (r.schema_version < r.supported_version)
      out << "the next start migrates it to schema version " << r.supported_version << "\n";
    return 0;
  } catch (const storage::lock_held& e) {
    err << "playbook-bot: restore refused: " << e.what()
        << "; stop the running playbook-bot first\n";
    return 1;
  } catch (const std::exception& e) {
    err << "playbook-bot: restore refused: " << e.what() << "\n";
    return 1;
  }
}

int run_check(const std::vector<std::string>& args, const settings& s, std::ostream& out,
              std::ostream& err) {
  if (!args.empty()) {
    err << "playbook-bot: usage: playbook-bot check [--config FILE]\n";
    return 2;
  }
  if (!std::filesystem::exists(s.db_path)) {
    err << "playbook-bot: check: there is no database at " << s.db_path << " (PLAYBOOK_DB)\n";
    return 1;
  }
  try {
    const auto r = storage::check(s.db_path);
    out << s.db_path << ": " << (r.ok ? "ok" : "DAMAGED") << "\n";
    report(r, out);
    for (const auto& p : r.problems) out << "  " << p << "\n";
    if (r.schema_version > r.supported_version)
      out << "written by a newer playbook-bot: this build cannot open it\n";
    return r.ok ? 0 : 1;
  } catch (const std::exception& e) {
    err << "playbook-bot: check failed: " << e.what() << "\n";
    return 1;
  }
}

int run_healthcheck(const std::vector<std::string>& args, const settings& s, std::ostream& out,
                    std::ostream& err) {
  if (!args.empty()) {
    err << "playbook-bot: usage: playbook-bot healthcheck [--config FILE]\n";
    return 2;
  }
  std::string host = s.listen.host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  const std::string address = "http://" + host + ":" + std::to_string(s.listen.port) + "/healthz";
  integrations::http::request_options o;
  o.connect_timeout = o.write_timeout = o.read_timeout = std::chrono::milliseconds(2000);
  o.total_timeout = std::chrono::milliseconds(2000);
  o.body_limit = 4096;
  const integrations::http::client client;
  const auto r = client.send("GET", address, "", o);
  if (!r) {
    err << "playbook-bot: healthcheck: " << r.error().message << "\n";
    return 1;
  }
  if (r->status != 200) {
    err << "playbook-bot: healthcheck: " << address << " answered " << r->status << "\n";
    return 1;
  }
  out << "ok\n";
  return 0;
}

}  // namespace bot

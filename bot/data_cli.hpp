#pragma once
// The operator's data-safety and liveness commands: `playbook-bot backup DEST`, `restore BACKUP`,
// `check` and `healthcheck`. Each takes the loaded settings, writes what it did to out and what
// went wrong to err, and returns the process's exit status (0 done, 1 failed, 2 misused).

#include "bot/config.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace bot {

// backup DEST: a consistent copy of PLAYBOOK_DB at DEST, safe while the server runs.
int run_backup(const std::vector<std::string>& args, const settings& s, std::ostream& out,
               std::ostream& err);

// restore BACKUP: replaces PLAYBOOK_DB with BACKUP once it checks out; refused while a server
// holds the database.
int run_restore(const std::vector<std::string>& args, const settings& s, std::ostream& out,
                std::ostream& err);

// check: PRAGMA integrity_check and foreign_key_check on PLAYBOOK_DB, with a short report;
// exit 1 when it finds a problem.
int run_check(const std::vector<std::string>& args, const settings& s, std::ostream& out,
              std::ostream& err);

// healthcheck: GET /healthz on the listen address (0.0.0.0 and :: become loopback), exit 0 when
// it answers 200 within two seconds. For container HEALTHCHECKs, where there is no curl.
int run_healthcheck(const std::vector<std::string>& args, const settings& s, std::ostream& out,
                    std::ostream& err);

}  // namespace bot

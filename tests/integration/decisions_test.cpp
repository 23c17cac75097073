// Vendor decisions end to end through the real executable: recorded from Slack and Mattermost,
// confirmed only once durable (a SIGKILL right after the confirmation loses nothing), looked up
// after a restart, refused to people not on the allow-list, and recorded by 8 clients at once
// without a lost decision or a missing audit row. Also the decisions CLI's import and export.

#include "tests/integration/bot_process.hpp"
#include "tests/integration/fake_api.hpp"
#include "tests/integration/test_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <SQLiteCpp/Database.h>

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

namespace {

using test::child;
using test::temp_dir;

constexpr std::string_view secret = "decisions-test-signing-secret-42";
constexpr std::string_view mm_token = "decisions-test-mattermost-token";

std::map<std::string, std::string> env_for(const temp_dir& dir, std::string deciders = "") {
  std::map<std::string, std::string> env = {
      {"PLAYBOOK_LISTEN", "127.0.0.1:0"},
      {"PLAYBOOK_DB", (dir.path() / "var" / "playbook.db").string()},
      {"SLACK_SIGNING_SECRET", std::string(secret)},
      {"MATTERMOST_COMMAND_TOKENS", std::string(mm_token)},
      {"PLAYBOOK_THREADS", "2"}};
  if (!deciders.empty()) env["PLAYBOOK_DECIDERS"] = std::move(deciders);
  return env;
}

std::uint16_t started(child& p) {
  const auto line = p.wait_for_stderr_line("\"msg\":\"listening\"");
  if (line.empty()) return 0;
  return static_cast<std::uint16_t>(boost::json::parse(line).as_object().at("port").as_int64());
}

// A slash command from a given Slack user.
std::string slack_body(std::string_view text, std::string_view user = "U1",
                       std::string_view name = "alice") {
  auto body = test::command_body(text);
  const auto at = body.find("user_id=U1&user_name=alice");
  body.replace(at, 26, "user_id=" + std::string(user) + "&user_name=" + std::string(name));
  return body;
}

struct answer {
  int status = 0;
  std::string response_type;
  std::string text;  // the whole JSON body, for searching
};

answer slack(test::connection& c, std::string_view text, std::string_view user = "U1") {
  auto res = c.round_trip(test::slack_post(secret, test::unix_now(), slack_body(text, user)));
  answer a;
  a.status = res.result_int();
  a.text = res.body();
  if (a.status == 200) {
    const auto json = boost::json::parse(a.text).as_object();
    if (const auto* t = json.if_contains("response_type")) a.response_type = t->as_string().c_str();
  }
  return a;
}

bool has(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST(decisions_e2e, a_confirmed_decision_survives_sigkill_and_is_found_after_restart) {
  temp_dir dir;
  {
    child p({"serve"}, env_for(dir));
    const auto port = started(p);
    ASSERT_NE(port, 0) << p.err();
    test::connection c(port);
    const auto a = slack(c, "decide Acme AI Academy reject — slideware, no production projects ticket PROC-77");
    ASSERT_EQ(a.status, 200) << a.text;
    EXPECT_TRUE(has(a.text, "Decision recorded")) << a.text;
    EXPECT_EQ(a.response_type, "in_channel");  // decisions are team knowledge
    // Killed the moment the confirmation arrived: no shutdown, no flush, no checkpoint.
    ::kill(p.pid(), SIGKILL);
    EXPECT_EQ(p.wait_exit(), 128 + SIGKILL);
  }
  child p({"serve"}, env_for(dir));
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.err();
  test::connection c(port);
  const auto v = slack(c, "vendor acme ai academy inc.");
  ASSERT_EQ(v.status, 200);
  EXPECT_TRUE(has(v.text, "slideware, no production projects")) << v.text;
  EXPECT_TRUE(has(v.text, "PROC-77")) << v.text;
  EXPECT_TRUE(has(v.text, "rejected")) << v.text;
  EXPECT_EQ(v.response_type, "ephemeral");
  const auto miss = slack(c, "vendor Acme Academy");
  EXPECT_TRUE(has(miss.text, "Did you mean Acme AI Academy?")) << miss.text;
  const auto found = slack(c, "decisions search slideware");
  EXPECT_TRUE(has(found.text, "*slideware*")) << found.text;
}

TEST(decisions_e2e, mattermost_records_and_private_keeps_the_confirmation_to_its_author) {
  temp_dir dir;
  child p({"serve"}, env_for(dir));
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.err();
  test::connection c(port);
  auto req = test::form_post("/mattermost/commands",
                             "token=" + std::string(mm_token) +
                                 "&team_id=t1&channel_id=c1&channel_name=town-square&user_id="
                                 "mmuser1&user_name=bob&command=%2Fplaybook&text=" +
                                 test::percent_encode("decide Deep Practice approve — strong labs private"));
  const auto res = c.round_trip(req);
  ASSERT_EQ(res.result_int(), 200);
  const auto json = boost::json::parse(res.body()).as_object();
  EXPECT_EQ(json.at("response_type").as_string(), "ephemeral");
  EXPECT_TRUE(has(res.body(), "Decision recorded")) << res.body();
  const auto listed = slack(c, "decisions recent 5");
  EXPECT_TRUE(has(listed.text, "Deep Practice")) << listed.text;
  EXPECT_TRUE(has(listed.text, "bob")) << listed.text;
}

TEST(decisions_e2e, only_deciders_may_record_and_the_answer_names_who_can) {
  temp_dir dir;
  child p({"serve"}, env_for(dir, "slack:U1,mattermost:mm9"));
  const auto line = p.wait_for_stderr_line("\"msg\":\"deciders\"");
  EXPECT_TRUE(has(line, "slack:U1, mattermost:mm9")) << line;
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.err();
  test::connection c(port);
  const auto refused = slack(c, "decide Acme approve", "U2");
  EXPECT_EQ(refused.response_type, "ephemeral");
  EXPECT_TRUE(has(refused.text, "You may not record decisions")) << refused.text;
  EXPECT_TRUE(has(refused.text, "slack:U1")) << refused.text;
  EXPECT_TRUE(has(refused.text, "slack:U2")) << refused.text;  // their own id, to be added
  // Reading is for everyone.
  EXPECT_TRUE(has(slack(c, "vendor Acme", "U2").text, "No decisions recorded")) ;
  EXPECT_TRUE(has(slack(c, "decide Acme approve", "U1").text, "Decision recorded"));
}

TEST(decisions_e2e, members_of_a_slack_user_group_may_record_as_slack_says) {
  test::fake_api slack_api([](const test::fake_api::request& req) {
    if (req[boost::beast::http::field::authorization] != "Bearer xoxb-test-token")
      return test::fake_api::json(R"({"ok":false,"error":"invalid_auth"})");
    return test::fake_api::json(R"({"ok":true,"users":["U7","U8"]})");
  });
  temp_dir dir;
  auto env = env_for(dir, "slack-group:S0604QSJC");
  env["SLACK_BOT_TOKEN"] = "xoxb-test-token";
  env["SLACK_API_URL"] = "http://127.0.0.1:" + std::to_string(slack_api.port()) + "/api";
  child p({"serve"}, env);
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.err();
  test::connection c(port);
  // The first fetch runs at start-up, on its own thread.
  answer a;
  for (int i = 0; i < 200; ++i) {
    a = slack(c, "decide Acme approve", "U7");
    if (!has(a.text, "Could not check")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(has(a.text, "Decision recorded")) << a.text;
  const auto refused = slack(c, "decide Acme reject", "U9");
  EXPECT_TRUE(has(refused.text, "members of the Slack user group S0604QSJC")) << refused.text;
  ASSERT_FALSE(slack_api.requests().empty());
  EXPECT_EQ(slack_api.requests()[0].target(), "/api/usergroups.users.list?usergroup=S0604QSJC");
  EXPECT_EQ(p.err().find("xoxb-test-token"), std::string::npos) << "the token reached the log";
}

TEST(decisions_e2e, a_slack_group_without_a_bot_token_is_a_startup_error) {
  temp_dir dir;
  child p({"serve"}, env_for(dir, "slack-group:S1"));
  EXPECT_EQ(p.wait_exit(), 2);
  EXPECT_TRUE(has(p.err(), "SLACK_BOT_TOKEN")) << p.err();
}

TEST(decisions_e2e, an_empty_allow_list_lets_everyone_record_and_the_log_says_so) {
  temp_dir dir;
  child p({"serve"}, env_for(dir));
  const auto line = p.wait_for_stderr_line("\"msg\":\"deciders\"");
  EXPECT_TRUE(has(line, "everyone")) << line;
  EXPECT_TRUE(has(line, "\"level\":\"warn\"")) << line;
}

TEST(decisions_e2e, input_that_cannot_be_a_decision_gets_usage_and_stores_nothing) {
  temp_dir dir;
  child p({"serve"}, env_for(dir));
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.err();
  test::connection c(port);
  const std::vector<std::string> bad = {
      "decide",
      "decide Acme",
      "decide approve",
      "decide " + std::string(10'000, 'A') + " approve",
      "decide Acme\x01Corp approve",
      "decide <!channel> Acme approve",
      "decide Acme approve — heads up @channel",
      "decide Acme approve — see <https://evil.example|the docs>",
      "decide [Acme](https://evil.example) approve",
      "decide Acme reject revisit 2027-02-30",
  };
  for (const auto& text : bad) {
    SCOPED_TRACE(text.substr(0, 60));
    const auto a = slack(c, text);
    EXPECT_EQ(a.status, 200);
    EXPECT_EQ(a.response_type, "ephemeral");
    EXPECT_TRUE(has(a.text, "Usage:")) << a.text.substr(0, 400);
    EXPECT_FALSE(has(a.text, "Decision recorded"));
  }
  EXPECT_TRUE(has(slack(c, "decisions").text, "No decisions recorded yet"));
}

TEST(decisions_e2e, eight_clients_recording_and_reading_for_ten_seconds_lose_nothing) {
  temp_dir dir;
  std::atomic<int> recorded{0}, failures{0};
  std::string first_failure;
  std::mutex failure_mutex;
  {
    child p({"serve"}, env_for(dir));
    const auto port = started(p);
    ASSERT_NE(port, 0) << p.err();
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::vector<std::thread> clients;
    for (int t = 0; t < 8; ++t) {
      clients.emplace_back([&, t] {
        test::connection c(port);
        for (int i = 0; std::chrono::steady_clock::now() < until; ++i) {
          const std::string vendor = "Vendor " + std::to_string((t * 7 + i) % 40);
          answer a;
          try {
            if (i % 2 == 0) {
              a = slack(c, "decide " + vendor + " defer — client " + std::to_string(t) + " round " +
                               std::to_string(i), "U" + std::to_string(t));
              if (has(a.text, "Decision recorded")) {
                ++recorded;
                continue;
              }
            } else {
              a = slack(c, i % 4 == 1 ? "vendor " + vendor : "decisions search client " + std::to_string(t));
              if (a.status == 200 && !has(a.text, "Could not")) continue;
            }
          } catch (const std::exception& e) {
            a.text = e.what();
          }
          ++failures;
          std::lock_guard lock(failure_mutex);
          if (first_failure.empty()) first_failure = a.text.substr(0, 300);
        }
      });
    }
    for (auto& th : clients) th.join();
    p.signal(SIGTERM);
    EXPECT_EQ(p.wait_exit(), 0);
  }
  EXPECT_EQ(failures.load(), 0) << first_failure;
  EXPECT_GT(recorded.load(), 100);
  SQLite::Database db((dir.path() / "var" / "playbook.db").string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM decisions").getInt(), recorded.load());
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM audit_log WHERE action = 'decision.record'").getInt(),
            recorded.load());
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

TEST(decisions_e2e, the_cli_imports_a_spreadsheet_and_exports_what_it_imported) {
  temp_dir dir;
  const auto csv = dir.path() / "past.csv";
  {
    std::ofstream out(csv, std::ios::binary);
    out << "decided_at,vendor,outcome,rationale,ticket,decided_by\n"
           "2025-03-01,\"Acme AI Academy, Inc.\",rejected,\"Slideware; \"\"certificates\"\" only\",PROC-12,dana\n"
           "2025-06-01,Deep Practice Labs,approve,\"Two lines\nof reasons\",PROC-40,lee\n"
           "2025-07-01,Formula Inc,defer,=HYPERLINK(\"http://x\"),,kim\n";
  }
  auto env = env_for(dir);
  {
    child imp({"decisions", "import", csv.string()}, env);
    EXPECT_EQ(imp.wait_exit(), 0) << imp.err();
    EXPECT_TRUE(has(imp.out(), "imported 3 decisions")) << imp.out();
  }
  child exp({"decisions", "export"}, env);
  ASSERT_EQ(exp.wait_exit(), 0) << exp.err();
  EXPECT_TRUE(has(exp.out(), "'=HYPERLINK")) << exp.out();  // never a live formula
  // What was exported imports into another database unchanged.
  const auto again = dir.path() / "export.csv";
  std::ofstream(again, std::ios::binary) << exp.out();
  auto env2 = env;
  env2["PLAYBOOK_DB"] = (dir.path() / "second.db").string();
  {
    child imp({"decisions", "import", again.string()}, env2);
    EXPECT_EQ(imp.wait_exit(), 0) << imp.err();
  }
  child exp2({"decisions", "export"}, env2);
  ASSERT_EQ(exp2.wait_exit(), 0);
  EXPECT_EQ(exp2.out(), exp.out());
  child show({"decisions", "show", "acme ai academy"}, env);
  EXPECT_EQ(show.wait_exit(), 0);
  EXPECT_TRUE(has(show.out(), "\"certificates\" only")) << show.out();
  child json({"decisions", "export", "--format", "json"}, env);
  ASSERT_EQ(json.wait_exit(), 0);
  EXPECT_EQ(boost::json::parse(json.out()).as_array().size(), 3u);
}

TEST(decisions_e2e, a_file_with_a_bad_row_imports_nothing_unless_told_to_skip_it) {
  temp_dir dir;
  const auto csv = dir.path() / "bad.csv";
  std::ofstream(csv, std::ios::binary) << "vendor,outcome\nAcme,approve\nGlobex,maybe\n";
  auto env = env_for(dir);
  {
    child imp({"decisions", "import", csv.string()}, env);
    EXPECT_EQ(imp.wait_exit(), 1);
    EXPECT_TRUE(has(imp.err(), "bad.csv:3: outcome 'maybe'")) << imp.err();
    EXPECT_TRUE(has(imp.err(), "nothing imported")) << imp.err();
  }
  {
    child list({"decisions", "list"}, env);
    EXPECT_EQ(list.wait_exit(), 0);
    EXPECT_TRUE(has(list.out(), "No decisions recorded yet")) << list.out();
  }
  child imp({"decisions", "import", csv.string(), "--skip-bad-rows"}, env);
  EXPECT_EQ(imp.wait_exit(), 0) << imp.err();
  EXPECT_TRUE(has(imp.out(), "imported 1 decision")) << imp.out();
}

TEST(decisions_e2e, a_database_from_a_newer_version_is_refused_untouched) {
  temp_dir dir;
  const auto file = dir.path() / "newer.db";
  {
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = 999");
  }
  auto env = env_for(dir);
  env["PLAYBOOK_DB"] = file.string();
  child p({"serve"}, env);
  EXPECT_EQ(p.wait_exit(), 1);
  EXPECT_TRUE(has(p.err(), "newer than this build")) << p.err();
  SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 999);
}

// What the bot reviews on a ticket, its fingerprint, and the retry schedule of the workers.

#include "bot/ticket_content.hpp"
#include "bot/backoff.hpp"
#include "bot/worker_loop.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace {

namespace tk = integrations::tickets;

tk::ticket_event ticket(std::string title, std::string body) {
  tk::ticket_event e;
  e.title = std::move(title);
  e.body = std::move(body);
  return e;
}

TEST(ticket_content, only_pdf_and_word_attachments_are_reviewed) {
  EXPECT_TRUE(bot::reviewable_attachment({"1", "Proposal.PDF", "application/octet-stream", "u", 10}));
  EXPECT_TRUE(bot::reviewable_attachment({"1", "x", "application/pdf", "u", 10}));
  EXPECT_TRUE(bot::reviewable_attachment(
      {"1", "x", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "u", 10}));
  EXPECT_TRUE(bot::reviewable_attachment({"1", "offer.docx", "", "u", 10}));
  EXPECT_FALSE(bot::reviewable_attachment({"1", "logo.png", "image/png", "u", 10}));
  EXPECT_FALSE(bot::reviewable_attachment({"1", "old.doc", "application/msword", "u", 10}));
}

TEST(ticket_content, the_fingerprint_changes_with_what_a_review_reads_and_nothing_else) {
  auto a = ticket("Acme training", "Five days of prompts");
  const auto base = bot::content_fingerprint(a);
  EXPECT_EQ(base.size(), 64u);
  auto b = a;
  b.labels = {"other"};
  b.status = "In review";
  b.actor = "someone";
  EXPECT_EQ(bot::content_fingerprint(b), base);
  b.body = "Five days of prompts!";
  EXPECT_NE(bot::content_fingerprint(b), base);
  // Parts cannot run into each other.
  EXPECT_NE(bot::content_fingerprint(ticket("ab", "c")), bot::content_fingerprint(ticket("a", "bc")));
  auto c = a;
  c.attachments.push_back({"10", "logo.png", "image/png", "u", 5});
  EXPECT_EQ(bot::content_fingerprint(c), base);
  c.attachments.push_back({"11", "proposal.pdf", "application/pdf", "u", 5});
  const auto with_pdf = bot::content_fingerprint(c);
  EXPECT_NE(with_pdf, base);
  c.attachments.back().size = 6;
  EXPECT_NE(bot::content_fingerprint(c), with_pdf);
}

TEST(ticket_content, attachment_lines_name_their_file_and_unreadable_ones_are_listed) {
  auto pdf = knowledge::extract_document("# Agenda\nDay 1: build an agent\n");
  ASSERT_TRUE(pdf);
  std::vector<bot::attachment_text> files;
  files.push_back({"proposal.md", std::move(pdf)});
  files.push_back({"scan.pdf", knowledge::error{"PDF has no extractable text (scanned images?)"}});
  const auto t = bot::ticket_text("Acme training", "Vendor: Acme", files, {});
  EXPECT_EQ(t.sources, (std::vector<std::string>{"ticket description", "attachment proposal.md"}));
  ASSERT_EQ(t.unreadable.size(), 1u);
  EXPECT_EQ(t.unreadable[0], "scan.pdf: PDF has no extractable text (scanned images?)");
  bool found = false;
  for (const auto& l : t.doc.lines)
    if (l.text == "Day 1: build an agent") {
      found = true;
      EXPECT_EQ(l.section, "proposal.md \xE2\x80\xBA Agenda");
    }
  EXPECT_TRUE(found);
  EXPECT_NE(t.text.find("Vendor: Acme\n"), std::string::npos);
  EXPECT_NE(t.text.find("Day 1: build an agent\n"), std::string::npos);
}

TEST(ticket_content, a_binary_description_leaves_the_title_to_review) {
  const auto t = bot::ticket_text("Acme training", std::string("\0\1\2\3binary", 10), {}, {});
  ASSERT_EQ(t.doc.lines.size(), 1u);
  EXPECT_EQ(t.doc.lines[0].text, "Acme training");
  ASSERT_EQ(t.unreadable.size(), 1u);
  EXPECT_TRUE(t.unreadable[0].starts_with("ticket description: "));
}

TEST(retry_delay, doubles_from_a_second_with_jitter_up_to_ten_minutes) {
  EXPECT_EQ(bot::retry_delay(0, std::nullopt, 0.999), 1);
  EXPECT_EQ(bot::retry_delay(3, std::nullopt, 0.999), 7);
  EXPECT_EQ(bot::retry_delay(3, std::nullopt, 0.0), 4);
  EXPECT_EQ(bot::retry_delay(30, std::nullopt, 0.999), 599);
  EXPECT_GE(bot::retry_delay(30, std::nullopt, 0.0), 300);
}

TEST(retry_delay, retry_after_from_the_server_wins) {
  EXPECT_EQ(bot::retry_delay(0, std::chrono::seconds(30), 0.5), 30);
  EXPECT_EQ(bot::retry_delay(5, std::chrono::seconds(2), 0.5), 2);
  EXPECT_EQ(bot::retry_delay(0, std::chrono::seconds(1'000'000), 0.5), 3600);
}

TEST(worker_loop, runs_steps_until_idle_then_wakes_on_demand_and_stops) {
  std::atomic<int> work{3};
  std::atomic<int> steps{0};
  bot::worker_loop loop("test", [&] {
    ++steps;
    if (work.load() <= 0) return false;
    --work;
    return true;
  }, 2, std::chrono::seconds(30));
  loop.start();
  for (int i = 0; i < 500 && work.load() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_EQ(work.load(), 0);
  work = 2;
  loop.wake();
  for (int i = 0; i < 500 && work.load() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_EQ(work.load(), 0);
  loop.stop();
  loop.stop();
}

TEST(worker_loop, a_throwing_step_does_not_end_the_worker) {
  std::atomic<int> calls{0};
  bot::worker_loop loop("test", [&]() -> bool {
    if (++calls == 1) throw std::runtime_error("database is locked");
    return false;
  }, 1, std::chrono::milliseconds(10));
  loop.start();
  for (int i = 0; i < 500 && calls.load() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_GE(calls.load(), 3);
  loop.stop();
}

}  // namespace

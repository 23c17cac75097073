// bench_review: how fast the proposal review is. Reviews a 1 MB proposal (throughput in MB/s of
// text, one core), a 300 KB one (milliseconds), and extracts and reviews a 20-page PDF made at
// run time. Each figure is the median of repeated runs; the minimum and maximum are shown too.
//
// Usage: bench_review [corpus-dir]   (default: tests/fixtures/proposals next to this file)

#include "knowledge/document.hpp"
#include "knowledge/playbook.hpp"
#include "knowledge/review.hpp"
#include "tests/knowledge/pdf_writer.hpp"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct stats {
  double min, median, max;
};

template <class F>
stats time_ms(int runs, F&& f) {
  std::vector<double> ms;
  f();  // warm-up
  for (int i = 0; i < runs; ++i) {
    const auto t0 = clock_type::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms.front(), ms[ms.size() / 2], ms.back()};
}

// A proposal of about `bytes` bytes: the labelled corpus, concatenated and repeated, so the text
// has the mix of schedules, tables, prose and lists that real offers have.
std::string proposal_of_size(const std::string& corpus_dir, std::size_t bytes) {
  std::string corpus;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(corpus_dir))
    if (e.path().extension() == ".md" || e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream s;
    s << in.rdbuf();
    corpus += s.str() + "\n\n";
  }
  std::string out;
  while (out.size() < bytes) out += corpus;
  out.resize(bytes);
  out = out.substr(0, out.rfind('\n') + 1);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  // As `playbook-bot review` does (bot/main.cpp): keep freed memory for reuse instead of returning large
  // blocks to the kernel, so repeated reviews do not pay page faults for fresh pages each time.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  const std::string corpus_dir =
      argc > 1 ? argv[1] : std::string(PLAYBOOK_SOURCE_DIR) + "/tests/fixtures/proposals";
  const auto book = knowledge::load_playbook("").value();

  std::printf("review benchmark (one thread; median of runs, [min, max])\n");
  for (const std::size_t size : {std::size_t{1} << 20, std::size_t{300} << 10}) {
    const std::string text = proposal_of_size(corpus_dir, size);
    std::size_t flags = 0;
    const auto t = time_ms(size > (500u << 10) ? 15 : 40, [&] {
      auto doc = knowledge::extract_document(text).value();
      flags = knowledge::review_document(doc, book).red_flags.size();
    });
    const double mb = static_cast<double>(text.size()) / (1 << 20);
    std::printf("  %4zu KB text:   %7.2f ms  [%.2f, %.2f]  = %6.1f MB/s  (%zu findings)\n",
                text.size() >> 10, t.median, t.min, t.max, mb / (t.median / 1000), flags);
  }

  // 20 pages of a real proposal's text, as a PDF.
  const std::string text = proposal_of_size(corpus_dir, 48 * 1024);
  std::vector<std::vector<std::string>> pages(1);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    while (line.size() > 95) {
      pages.back().push_back(line.substr(0, 95));
      line = line.substr(95);
      if (pages.back().size() == 45) pages.emplace_back();
    }
    pages.back().push_back(line);
    if (pages.back().size() == 45) pages.emplace_back();
    if (pages.size() > 20) break;
  }
  pages.resize(20);
  const std::string pdf = test::make_pdf(pages);
  std::size_t lines_read = 0;
  const auto extract = time_ms(20, [&] { lines_read = knowledge::extract_document(pdf).value().lines.size(); });
  const auto both = time_ms(20, [&] {
    auto doc = knowledge::extract_document(pdf).value();
    (void)knowledge::review_document(doc, book);
  });
  std::printf("  20-page PDF (%zu KB, %zu lines): extract %.2f ms [%.2f, %.2f]; extract + review %.2f ms [%.2f, %.2f]\n",
              pdf.size() >> 10, lines_read, extract.median, extract.min, extract.max, both.median,
              both.min, both.max);
  return 0;
}

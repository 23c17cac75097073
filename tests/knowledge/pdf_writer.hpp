#pragma once
// A tiny PDF writer for tests and benchmarks: builds a valid PDF (correct xref offsets) whose pages
// show given lines of text in Helvetica, top to bottom, so a "20-page proposal" is made at test
// time instead of being kept as a binary fixture.

#include <cstddef>
#include <string>
#include <vector>

namespace test {

struct pdf_options {
  double font_size = 11;    // points
  double line_height = 15;  // points between baselines
};

// A PDF with one page per element of `pages`; each string is one line of text (UTF-8; Latin-1
// letters and typographic dashes, quotes, bullets and the euro sign are mapped to WinAnsi, other
// characters become '?'). An empty string leaves a blank line; a page with no lines has an empty
// content stream (a page without text). About 48 lines fit on a US Letter page; more run off it.
std::string make_pdf(const std::vector<std::vector<std::string>>& pages,
                     const pdf_options& options = {});

// `count` pages of ordinary proposal text: a numbered heading per page ("3. Section 3") followed by
// `lines_per_page` sentences that name their page and line ("Page 3 line 7 ...").
std::vector<std::vector<std::string>> sample_pages(std::size_t count,
                                                   std::size_t lines_per_page = 30);

}  // namespace test

// Document extraction: the kind is found from the bytes alone, every kind yields numbered lines
// under their headings (PDF lines with their pages), and every way a document can be bad is an
// error that says what is wrong, without crashing, hanging or printing anything.

#include "knowledge/document.hpp"
#include "tests/knowledge/docx_writer.hpp"
#include "tests/knowledge/pdf_writer.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using knowledge::document_kind;
using knowledge::extract_document;
using knowledge::extract_limits;

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(PLAYBOOK_FIXTURES) + "/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The error message of a failed extraction ("" when it succeeded, so a test fails readably).
std::string error_of(std::string_view bytes, const extract_limits& limits = {}) {
  const auto r = extract_document(bytes, limits);
  return r ? std::string() : r.error().message;
}

knowledge::document extract(std::string_view bytes) {
  auto r = extract_document(bytes);
  if (!r) ADD_FAILURE() << "extraction failed: " << r.error().message;
  return r ? *r : knowledge::document{};
}

std::vector<std::string> texts(const knowledge::document& d) {
  std::vector<std::string> out;
  for (const auto& l : d.lines) out.push_back(l.text);
  return out;
}

std::vector<std::string> headings(const knowledge::document& d) {
  std::vector<std::string> out;
  for (const auto& l : d.lines)
    if (l.is_heading) out.push_back(l.section);
  return out;
}

const knowledge::text_line* find_line(const knowledge::document& d, std::string_view text) {
  for (const auto& l : d.lines)
    if (l.text == text) return &l;
  return nullptr;
}

// The section of the line whose text is `text` ("<missing>" when there is no such line).
std::string section_of(const knowledge::document& d, std::string_view text) {
  const auto* l = find_line(d, text);
  return l ? l->section : "<missing>";
}

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(gen() & 0xff);
  return out;
}

// A file under the temp directory, removed when the test ends.
class temp_file {
 public:
  explicit temp_file(std::string_view contents) {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("unit_document_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::ofstream out(path_, std::ios::binary);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  }
  ~temp_file() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

// Runs fn with standard input reading the file at path, then restores standard input.
template <class F>
auto with_stdin(const std::string& path, F fn) {
  const int saved = ::dup(STDIN_FILENO);
  const int fd = ::open(path.c_str(), O_RDONLY);
  EXPECT_GE(fd, 0) << path;
  ::dup2(fd, STDIN_FILENO);
  ::close(fd);
  std::clearerr(stdin);
  auto result = fn();
  std::fflush(stdin);  // glibc drops what was buffered from the file
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  std::clearerr(stdin);
  return result;
}

}  // namespace

// ---- Kind detection ----------------------------------------------------------------------------

TEST(document, names_every_kind) {
  EXPECT_EQ(knowledge::kind_name(document_kind::text), "text");
  EXPECT_EQ(knowledge::kind_name(document_kind::markdown), "markdown");
  EXPECT_EQ(knowledge::kind_name(document_kind::pdf), "pdf");
  EXPECT_EQ(knowledge::kind_name(document_kind::docx), "docx");
}

TEST(document, detects_pdf_and_docx_by_their_bytes_alone) {
  // There are no file names: a PDF saved as "proposal.txt" is still read as a PDF.
  EXPECT_EQ(extract(test::make_pdf({{"Hello from a PDF"}})).kind, document_kind::pdf);
  EXPECT_EQ(extract(test::make_docx(test::paragraph("Hello from Word"))).kind, document_kind::docx);
  EXPECT_EQ(extract("Hello from text\n").kind, document_kind::text);
}

TEST(document, markdown_needs_headings_tables_fences_or_lists_with_inline_markup) {
  EXPECT_EQ(extract("# Proposal\n\nWe teach.\n").kind, document_kind::markdown);
  EXPECT_EQ(extract("Proposal\n========\n\nWe teach.\n").kind, document_kind::markdown);
  EXPECT_EQ(extract("| a | b |\n|---|:-:|\n| 1 | 2 |\n").kind, document_kind::markdown);
  EXPECT_EQ(extract("Run:\n```\nmake\n```\n").kind, document_kind::markdown);
  EXPECT_EQ(extract("- see [the site](https://example.com)\n- done\n").kind,
            document_kind::markdown);
  EXPECT_EQ(extract("- **RAG** in depth\n- evaluation\n").kind, document_kind::markdown);
  // Plain text uses bullets, numbers and '#' too.
  EXPECT_EQ(extract("Topics:\n- RAG\n- evaluation\n1. first\n2. second\n").kind,
            document_kind::text);
  EXPECT_EQ(extract("#hashtag and C# and issue #12\n").kind, document_kind::text);
  EXPECT_EQ(extract("a | b\nsome text\n").kind, document_kind::text);
}

// ---- Text --------------------------------------------------------------------------------------

TEST(document, text_lines_keep_their_numbers_and_skip_blank_lines) {
  const auto d = extract(
      "\xef\xbb\xbfThe vendor\tteaches  RAG.\r\n\r\n   \n\tSecond\xc2\xa0paragraph \rthird line\n");
  EXPECT_EQ(d.kind, document_kind::text);
  EXPECT_EQ(d.pages, 0u);
  ASSERT_EQ(d.lines.size(), 3u);
  EXPECT_EQ(d.lines[0].text, "The vendor teaches RAG.");
  EXPECT_EQ(d.lines[0].line, 1u);
  EXPECT_EQ(d.lines[1].text, "Second paragraph");
  EXPECT_EQ(d.lines[1].line, 4u);
  EXPECT_EQ(d.lines[2].text, "third line");
  EXPECT_EQ(d.lines[2].line, 5u);
  for (const auto& l : d.lines) {
    EXPECT_EQ(l.page, 0u);
    EXPECT_EQ(l.section, "");
    EXPECT_FALSE(l.is_heading);
  }
}

TEST(document, text_lines_end_at_any_line_break) {
  // "\r\r\n" is two breaks (a lone CR, then CRLF); a CR at the very end ends the last line.
  const auto d = extract("one\r\r\ntwo\n\nthree\rfour\r");
  ASSERT_EQ(d.lines.size(), 4u);
  EXPECT_EQ(d.lines[0].text, "one");
  EXPECT_EQ(d.lines[1].text, "two");
  EXPECT_EQ(d.lines[1].line, 3u);
  EXPECT_EQ(d.lines[2].text, "three");
  EXPECT_EQ(d.lines[2].line, 5u);
  EXPECT_EQ(d.lines[3].text, "four");
  EXPECT_EQ(d.lines[3].line, 6u);
}

TEST(document, long_lines_keep_their_spacing_and_characters) {
  // Long runs of ASCII around spaces, tabs and UTF-8: copied in runs, spaces collapsed.
  const auto d = extract("  An  offer\tfor caf\xc3\xa9 teams \xe2\x80\x94 with \xc2\xa0 labs,"
                         " then   more text after it  \n");
  ASSERT_EQ(d.lines.size(), 1u);
  EXPECT_EQ(d.lines[0].text,
            "An offer for caf\xc3\xa9 teams \xe2\x80\x94 with labs, then more text after it");
}

TEST(document, text_drops_invisible_characters_and_form_feeds_are_whitespace) {
  const auto d = extract(
      "co\xc2\xad"
      "operate\xe2\x80\x8b now\f\fnext\n");
  ASSERT_EQ(d.lines.size(), 1u);
  EXPECT_EQ(d.lines[0].text, "cooperate now next");
  EXPECT_EQ(d.lines[0].page, 0u);
}

TEST(document, text_headings_follow_the_documented_rule) {
  const auto d = extract(
      "PROPOSAL FOR ACME\n"                         // 1 ALL CAPS
      "Prepared for the platform team in March.\n"  // 2
      "\n"
      "1. Overview\n"                  // 4 numbered
      "We run a five day workshop.\n"  // 5
      "\n"
      "Our Approach\n"  // 7 Title Case, alone
      "\n"
      "Hands-on labs on your own stack.\n"     // 9
      "2) Curriculum\n"                        // 10 numbered
      "Module 3: RAG\n"                        // 11 keyword
      "Chunking and retrieval.\n"              // 12
      "Week 1–3: Foundations\n"                // 13 keyword with a range
      "Python, data and evaluation basics.\n"  // 14
      "Day 2 — Evaluation\n"                   // 15 keyword, em dash
      "LLM-as-a-judge.\n"                      // 16
      "Deliverables:\n"                        // 17 lead-in
      "- lab repository\n"                     // 18
      "- recordings\n"                         // 19
      "Closing Words\n");                      // 20 nothing follows
  EXPECT_EQ(headings(d),
            (std::vector<std::string>{"PROPOSAL FOR ACME", "1. Overview", "Our Approach",
                                      "2) Curriculum", "Module 3: RAG", "Week 1–3: Foundations",
                                      "Day 2 — Evaluation", "Deliverables"}));
  EXPECT_EQ(section_of(d, "Prepared for the platform team in March."), "PROPOSAL FOR ACME");
  EXPECT_EQ(section_of(d, "We run a five day workshop."), "1. Overview");
  EXPECT_EQ(section_of(d, "Hands-on labs on your own stack."), "Our Approach");
  EXPECT_EQ(section_of(d, "Chunking and retrieval."), "Module 3: RAG");
  EXPECT_EQ(section_of(d, "LLM-as-a-judge."), "Day 2 — Evaluation");
  EXPECT_EQ(section_of(d, "- recordings"), "Deliverables");
  EXPECT_EQ(section_of(d, "Closing Words"), "Deliverables");
  const auto* overview = find_line(d, "1. Overview");
  ASSERT_NE(overview, nullptr);
  EXPECT_TRUE(overview->is_heading);
  EXPECT_EQ(overview->line, 4u);
}

TEST(document, text_sentences_lists_and_wrapped_lines_are_not_headings) {
  const auto d = extract(
      "Introduction\n"
      "\n"
      "We will deliver the course on site.\n"  // a sentence
      "The trainers are practitioners,\n"      // ends with ','
      "Senior Engineers From Our Team\n"       // Title Case inside a paragraph
      "lead every lab; they\n"
      "1. Python\n"  // a numbered list
      "2. SQL\n"
      "3. Git\n"
      "1. we start with a survey\n"   // lowercase after the number
      "3 people attend per cohort\n"  // a bare number is a quantity
      "- Practical Labs\n"            // a bullet
      "| Item | Price |\n"            // a table row
      "Page 3\n"                      // a page number
      "USD 40,000\n"                  // capitals but mostly digits
      "This line is far too long to be a heading even though it has no final stop at all\n"
      "The end.\n");
  EXPECT_EQ(headings(d), (std::vector<std::string>{"Introduction"}));
}

TEST(document, text_title_case_lines_stand_alone_after_a_sentence_or_a_list) {
  // One paragraph per line, no blank lines: as the playbook's own text is written.
  const auto d = extract(
      "Buyers compare vendors.\n"
      "Why Most AI Training Programs Fail\n"
      "The failure modes look different now.\n"
      "- a list item\n"
      "When Leaders Should (and Shouldn't) Invest\n"
      "Enterprises are selective.\n");
  EXPECT_EQ(headings(d), (std::vector<std::string>{"Why Most AI Training Programs Fail",
                                                   "When Leaders Should (and Shouldn't) Invest"}));
  EXPECT_EQ(section_of(d, "Enterprises are selective."),
            "When Leaders Should (and Shouldn't) Invest");
}

TEST(document, the_playbook_text_gets_its_sections) {
  const auto d = extract(fixture("ai-training-playbook-2026.txt"));
  // Its tables make it Markdown, but it has no Markdown headings: the plain-text rule applies.
  EXPECT_EQ(d.kind, document_kind::markdown);
  const auto h = headings(d);
  for (const char* expected :
       {"What this guide covers", "Why Most AI Training Programs Fail",
        "1. Broad-Scale E-Learning (MOOCs)", "4. Immersive Engineering Bootcamps",
        "Invest in external training when"})
    EXPECT_NE(std::find(h.begin(), h.end(), expected), h.end()) << expected;
  EXPECT_EQ(section_of(d,
                       "| Low cost per head | Teaching engineers how to debug messy reality | "
                       "On-demand access |"),
            "1. Broad-Scale E-Learning (MOOCs)");
  // The table delimiter rows are syntax, not text.
  EXPECT_EQ(find_line(d, "|---|---|---|"), nullptr);
}

// ---- Markdown ----------------------------------------------------------------------------------

TEST(document, markdown_headings_are_atx_and_setext) {
  const auto d = extract(
      "# Proposal for ACME #\n"  // 1
      "Intro text.\n"            // 2
      "\n"
      "Scope\n"             // 4 setext h1
      "=====\n"             // 5 underline: not listed
      "In scope: RAG.\n"    // 6
      "Pricing\n"           // 7 setext h2
      "---\n"               // 8
      "| Item | Price |\n"  // 9
      "|------|------:|\n"  // 10 delimiter row: not listed
      "| Labs | 10 |\n"     // 11
      "\n"
      "```bash\n"                         // 13
      "# not a heading, a comment\n"      // 14
      "```\n"                             // 15
      "***\n"                             // 16 thematic break: not listed
      "### **Team** ###\n"                // 17
      "ALL CAPS IS NOT A HEADING HERE\n"  // 18
      "Two trainers.\n");                 // 19
  EXPECT_EQ(d.kind, document_kind::markdown);
  EXPECT_EQ(headings(d),
            (std::vector<std::string>{"Proposal for ACME", "Scope", "Pricing", "Team"}));
  EXPECT_EQ(texts(d),
            (std::vector<std::string>{
                "# Proposal for ACME #", "Intro text.", "Scope", "In scope: RAG.", "Pricing",
                "| Item | Price |", "| Labs | 10 |", "```bash", "# not a heading, a comment", "```",
                "### **Team** ###", "ALL CAPS IS NOT A HEADING HERE", "Two trainers."}));
  EXPECT_EQ(find_line(d, "In scope: RAG.")->line, 6u);
  EXPECT_EQ(section_of(d, "In scope: RAG."), "Scope");
  EXPECT_EQ(find_line(d, "| Labs | 10 |")->line, 11u);
  EXPECT_EQ(section_of(d, "| Labs | 10 |"), "Pricing");
  EXPECT_EQ(section_of(d, "# not a heading, a comment"), "Pricing");
  EXPECT_EQ(section_of(d, "Two trainers."), "Team");
  EXPECT_EQ(find_line(d, "Two trainers.")->line, 19u);
  EXPECT_TRUE(find_line(d, "Scope")->is_heading);
}

// ---- PDF ---------------------------------------------------------------------------------------

TEST(document, pdf_lines_carry_pages_line_numbers_and_sections) {
  const auto d = extract(test::make_pdf({
      {"PROPOSAL FOR ACME", "", "1. Overview", "We teach retrieval – and evaluation.",
       "Second line here."},
      {"2. Curriculum", "Labs cost €5,000 per “cohort”.", "", "Module 3: RAG",
       "Chunking and retrieval."},
      {"Final remarks on page three."},
  }));
  EXPECT_EQ(d.kind, document_kind::pdf);
  EXPECT_EQ(d.pages, 3u);
  EXPECT_EQ(headings(d), (std::vector<std::string>{"PROPOSAL FOR ACME", "1. Overview",
                                                   "2. Curriculum", "Module 3: RAG"}));
  const auto* dash = find_line(d, "We teach retrieval – and evaluation.");
  ASSERT_NE(dash, nullptr);
  EXPECT_EQ(dash->page, 1u);
  EXPECT_EQ(dash->section, "1. Overview");
  const auto* euro = find_line(d, "Labs cost €5,000 per “cohort”.");
  ASSERT_NE(euro, nullptr);
  EXPECT_EQ(euro->page, 2u);
  EXPECT_EQ(euro->section, "2. Curriculum");
  const auto* last = find_line(d, "Final remarks on page three.");
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->page, 3u);
  EXPECT_EQ(last->section, "Module 3: RAG");
  // Line numbers count across pages and only grow.
  for (std::size_t i = 1; i < d.lines.size(); ++i) {
    EXPECT_LT(d.lines[i - 1].line, d.lines[i].line);
    EXPECT_LE(d.lines[i - 1].page, d.lines[i].page);
  }
  EXPECT_GT(last->line, euro->line);
}

TEST(document, a_twenty_page_pdf_is_read_whole) {
  const auto d = extract(test::make_pdf(test::sample_pages(20)));
  EXPECT_EQ(d.pages, 20u);
  EXPECT_EQ(headings(d).size(), 20u);
  EXPECT_EQ(d.lines.size(), 20u * 31u);
  const auto& last = d.lines.back();
  EXPECT_EQ(last.page, 20u);
  EXPECT_EQ(last.section, "20. Section 20");
  EXPECT_EQ(
      last.text,
      "Page 20 line 30: the trainers cover retrieval, evaluation and deployment in practice.");
}

TEST(document, pdf_running_headers_and_page_numbers_are_not_headings) {
  std::vector<std::vector<std::string>> pages;
  for (int p = 1; p <= 4; ++p)
    pages.push_back({"ACME CONFIDENTIAL", "", "Body text of page " + std::to_string(p) + ".", "",
                     "Page " + std::to_string(p) + " of 4"});
  pages[1].insert(pages[1].begin() + 2, {"2. Pricing", ""});
  const auto d = extract(test::make_pdf(pages));
  EXPECT_EQ(headings(d), (std::vector<std::string>{"2. Pricing"}));
  EXPECT_EQ(section_of(d, "Body text of page 4."), "2. Pricing");
}

TEST(document, an_owner_password_alone_does_not_stop_extraction) {
  // Made like encrypted.pdf, with `qpdf --encrypt "" owner 256 --print=none --modify=none
  // --extract=n -- plain.pdf owner_password_only.pdf`: it opens without a password.
  const auto d = extract(fixture("documents/owner_password_only.pdf"));
  EXPECT_EQ(texts(d), (std::vector<std::string>{"Confidential proposal",
                                                "This text is readable with the password only."}));
}

// ---- DOCX --------------------------------------------------------------------------------------

TEST(document, docx_headings_paragraphs_tables_and_breaks) {
  const std::string body =
      test::paragraph("Training Proposal", "Title") +  // 1
      test::paragraph("Prepared for ACME.") +          // 2
      test::paragraph("Overview", "Heading1") +        // 3
      "<w:p><w:r><w:t>Hands-on</w:t></w:r><w:r><w:t xml:space=\"preserve\"> </w:t></w:r>"
      "<w:r><w:t>labs</w:t><w:tab/><w:t>with</w:t><w:br/><w:t>your data.</w:t></w:r></w:p>"  // 4, 5
      "<w:p/>"                                                                               // 6
      + test::paragraph("Pricing", "heading 2") +                                            // 7
      test::table({{"Item", "Days", "Price"}, {"Workshop", "5", "€20,000"}}) +               // 8, 9
      "<w:p><w:pPr><w:pStyle w:val=\"Heading3\"/></w:pPr><w:r><w:t>Terms</w:t><w:br/>"
      "<w:t>and conditions</w:t></w:r></w:p>"  // 10
      "<w:p><w:hyperlink><w:r><w:t>See our site</w:t></w:r></w:hyperlink>"
      "<w:r><w:delText>deleted</w:delText></w:r><w:r><w:t>.</w:t></w:r></w:p>";  // 11
  const auto d = extract(test::make_docx(body));
  EXPECT_EQ(d.kind, document_kind::docx);
  EXPECT_EQ(d.pages, 0u);
  EXPECT_EQ(texts(d), (std::vector<std::string>{
                          "Training Proposal", "Prepared for ACME.", "Overview",
                          "Hands-on labs with", "your data.", "Pricing", "Item | Days | Price",
                          "Workshop | 5 | €20,000", "Terms and conditions", "See our site."}));
  EXPECT_EQ(headings(d), (std::vector<std::string>{"Training Proposal", "Overview", "Pricing",
                                                   "Terms and conditions"}));
  EXPECT_EQ(section_of(d, "Prepared for ACME."), "Training Proposal");
  EXPECT_EQ(section_of(d, "your data."), "Overview");
  EXPECT_EQ(section_of(d, "Workshop | 5 | €20,000"), "Pricing");
  EXPECT_EQ(section_of(d, "See our site."), "Terms and conditions");
  EXPECT_EQ(find_line(d, "your data.")->line, 5u);
  EXPECT_EQ(find_line(d, "Pricing")->line, 7u);
  EXPECT_EQ(find_line(d, "Workshop | 5 | €20,000")->line, 9u);
  EXPECT_EQ(find_line(d, "See our site.")->line, 11u);
  for (const auto& l : d.lines) EXPECT_EQ(l.page, 0u);
}

TEST(document, docx_headings_by_style_name_and_outline_level) {
  // A German Word names the style id "berschrift1"; styles.xml still names it "heading 1".
  const std::string styles =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:style w:type=\"paragraph\" w:styleId=\"berschrift1\"><w:name w:val=\"heading "
      "1\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"Kapitel\"><w:name w:val=\"Kapitel\"/>"
      "<w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"Unterkapitel\"><w:name w:val=\"Unterkapitel\"/>"
      "<w:basedOn w:val=\"Kapitel\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"TOCHeading\"><w:name w:val=\"TOC Heading\"/>"
      "<w:basedOn w:val=\"berschrift1\"/><w:pPr><w:outlineLvl w:val=\"9\"/></w:pPr></w:style>"
      "</w:styles>";
  const std::string body =
      test::paragraph("Contents", "TOCHeading") + test::paragraph("Einleitung", "berschrift1") +
      test::paragraph("Text eins.") + test::paragraph("Preise", "Kapitel") +
      test::paragraph("Text zwei.") + test::paragraph("Rabatte", "Unterkapitel") +
      test::paragraph("Text drei.") +
      "<w:p><w:pPr><w:outlineLvl w:val=\"2\"/></w:pPr><w:r><w:t>Anhang</w:t></w:r></w:p>" +
      test::paragraph("Text vier.");
  const auto d = extract(test::make_docx(body, {{"word/styles.xml", styles}}));
  EXPECT_EQ(headings(d), (std::vector<std::string>{"Einleitung", "Preise", "Rabatte", "Anhang"}));
  EXPECT_EQ(section_of(d, "Contents"), "");
  EXPECT_EQ(section_of(d, "Text drei."), "Rabatte");
}

TEST(document, docx_without_heading_styles_uses_the_plain_text_rule) {
  const auto d =
      extract(test::make_docx(test::paragraph("1. Overview") + test::paragraph("We teach RAG.") +
                              test::paragraph("PRICING") + test::paragraph("Five days.")));
  EXPECT_EQ(headings(d), (std::vector<std::string>{"1. Overview", "PRICING"}));
  EXPECT_EQ(section_of(d, "Five days."), "PRICING");
}

TEST(document, docx_text_boxes_are_read_once_and_other_prefixes_work) {
  // Word writes a text box twice: for new readers (mc:Choice) and for old ones (mc:Fallback).
  const std::string body =
      "<x:p><x:r><x:t>Anchor paragraph.</x:t></x:r><x:r><mc:AlternateContent>"
      "<mc:Choice Requires=\"wps\"><x:drawing><x:txbxContent><x:p><x:r><x:t>Boxed "
      "text.</x:t></x:r></x:p>"
      "</x:txbxContent></x:drawing></mc:Choice>"
      "<mc:Fallback><x:pict><x:txbxContent><x:p><x:r><x:t>Boxed "
      "text.</x:t></x:r></x:p></x:txbxContent>"
      "</x:pict></mc:Fallback></mc:AlternateContent></x:r></x:p>"
      "<x:sdt><x:sdtPr><x:alias x:val=\"ignored\"/></x:sdtPr><x:sdtContent>"
      "<x:p><x:r><x:t>In a content control.</x:t></x:r></x:p></x:sdtContent></x:sdt>";
  const std::string xml =
      "<?xml version=\"1.0\"?><x:document "
      "xmlns:x=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
      " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><x:body>" +
      body + "</x:body></x:document>";
  const auto d = extract(test::make_zip({{"word/document.xml", xml}}));
  EXPECT_EQ(texts(d), (std::vector<std::string>{"Anchor paragraph.", "Boxed text.",
                                                "In a content control."}));
}

// ---- Errors ------------------------------------------------------------------------------------

TEST(document_errors, empty_and_whitespace_only_documents) {
  EXPECT_EQ(error_of(""), "empty document");
  EXPECT_EQ(error_of(" \n\t\r\n  \f"), "empty document");
  EXPECT_EQ(error_of("\xef\xbb\xbf \n\xc2\xa0\n"), "empty document");
  EXPECT_EQ(
      error_of(test::make_docx("<w:p/><w:p><w:r><w:t xml:space=\"preserve\">  </w:t></w:r></w:p>")),
      "empty document (the DOCX has no text)");
}

TEST(document_errors, oversized_input_and_text) {
  extract_limits limits;
  limits.max_bytes = 100;
  EXPECT_EQ(error_of(std::string(101, 'a'), limits), "document is 101 bytes; the limit is 100");
  EXPECT_EQ(error_of(std::string(100, 'a'), limits), "");
  limits = {};
  limits.max_text_bytes = 10;
  EXPECT_EQ(error_of("eleven char", limits), "text is 11 bytes; the limit is 10");
  limits.max_text_bytes = 1000;
  EXPECT_EQ(error_of(test::make_pdf(test::sample_pages(2)), limits),
            "PDF text exceeds the limit of 1000 bytes");
}

TEST(document_errors, binary_data_and_invalid_utf8_name_the_byte) {
  EXPECT_EQ(error_of(std::string("ab\0cd", 5)),
            "not a text, PDF or DOCX document (binary data at byte 2)");
  EXPECT_EQ(error_of("abc\xff"), "not a text, PDF or DOCX document (binary data at byte 3)");
  EXPECT_EQ(error_of("caf\xc3"),
            "not a text, PDF or DOCX document (binary data at byte 3)");  // cut off
  EXPECT_EQ(error_of("a\xc0\xaf"),
            "not a text, PDF or DOCX document (binary data at byte 1)");  // overlong
  EXPECT_EQ(error_of("a\xed\xa0\x80"),
            "not a text, PDF or DOCX document (binary data at byte 1)");  // surrogate
  EXPECT_EQ(error_of("\xef\xbb\xbf"
                     "ok\x80"),
            "not a text, PDF or DOCX document (binary data at byte 5)");
  // Past the first eight bytes, where the text is scanned a word at a time.
  EXPECT_EQ(error_of(std::string("0123456789abc\0ef", 17)),
            "not a text, PDF or DOCX document (binary data at byte 13)");
  EXPECT_EQ(error_of("0123456789abcdef\xc3\xa9xyz\x80"),
            "not a text, PDF or DOCX document (binary data at byte 21)");
  EXPECT_EQ(error_of("0123456\xc3\xa9 and caf\xc3\xa9 \xe2\x80\x94 fine"), "");
  EXPECT_EQ(error_of(std::string("\xff\xfeh\0i\0", 6)),
            "not a text, PDF or DOCX document (UTF-16 text: save it as UTF-8)");
  const std::string garbage = random_bytes(4096, 7);
  EXPECT_TRUE(
      error_of(garbage).starts_with("not a text, PDF or DOCX document (binary data at byte "))
      << error_of(garbage);
  EXPECT_TRUE(error_of("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + garbage)
                  .starts_with("a legacy Word (.doc) or "
                               "password-protected Office file"));
}

TEST(document_errors, encrypted_pdf) {
  // tests/fixtures/documents/encrypted.pdf: test::make_pdf({{"Confidential proposal", "",
  // "This text is readable with the password only."}}) encrypted with
  // `qpdf --encrypt user owner 256 -- plain.pdf encrypted.pdf` (AES-256, user password "user").
  const std::string pdf = fixture("documents/encrypted.pdf");
  ASSERT_FALSE(pdf.empty());
  EXPECT_EQ(error_of(pdf), "PDF is encrypted (password protected)");
}

TEST(document_errors, damaged_pdfs) {
  const std::string pdf = test::make_pdf(test::sample_pages(3));
  EXPECT_EQ(error_of(pdf.substr(0, pdf.size() / 2)), "PDF is damaged or truncated");
  EXPECT_EQ(error_of(pdf.substr(0, pdf.size() - 20)), "PDF is damaged or truncated");
  EXPECT_EQ(error_of("%PDF-"), "PDF is damaged or truncated");
  EXPECT_EQ(error_of("%PDF-1.7\n" + random_bytes(5000, 1)), "PDF is damaged or truncated");
  // Even with an end marker, random bytes are no PDF: poppler itself refuses them.
  EXPECT_EQ(error_of("%PDF-1.7\n" + random_bytes(5000, 2) + "\n%%EOF\n"),
            "PDF is damaged or truncated");
  EXPECT_EQ(error_of("%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"),
            "PDF is damaged or truncated");
}

TEST(document_errors, too_many_pdf_pages) {
  extract_limits limits;
  limits.max_pages = 5;
  EXPECT_EQ(error_of(test::make_pdf(test::sample_pages(6, 2)), limits),
            "PDF has 6 pages; the limit is 5");
  EXPECT_EQ(error_of(test::make_pdf(test::sample_pages(5, 2)), limits), "");
}

TEST(document_errors, pdf_without_text) {
  EXPECT_EQ(error_of(test::make_pdf({{}, {}})), "PDF has no extractable text (scanned images?)");
  EXPECT_EQ(error_of(test::make_pdf({{"", "   "}})),
            "PDF has no extractable text (scanned images?)");
}

TEST(document_errors, zip_archives_that_are_not_good_docx) {
  EXPECT_EQ(error_of(test::make_zip({{"readme.txt", "hello"}})),
            "a ZIP archive that is not a Word document");
  // An empty archive is only its end record.
  EXPECT_EQ(error_of("PK\x05\x06" + std::string(18, '\0')),
            "a ZIP archive that is not a Word document");

  const std::string not_xml = test::make_zip({{"word/document.xml", "<w:document><w:body><w:p>"}});
  EXPECT_TRUE(error_of(not_xml).starts_with("DOCX is damaged: word/document.xml is not valid XML"))
      << error_of(not_xml);
  EXPECT_EQ(error_of(test::make_zip({{"word/document.xml", "<?xml version=\"1.0\"?><other/>"}})),
            "DOCX is damaged: word/document.xml has no document body");

  const std::string docx = test::make_docx(test::paragraph("Hello"));
  const std::string cut = docx.substr(0, docx.size() / 2);
  EXPECT_TRUE(error_of(cut).starts_with("DOCX is damaged: not a readable ZIP archive"))
      << error_of(cut);
  EXPECT_TRUE(error_of("PK\x03\x04" + random_bytes(2000, 3)).starts_with("DOCX is damaged: "));
}

TEST(document_errors, deeply_nested_docx_xml_is_refused_without_overflowing_the_stack) {
  std::string open, close;
  for (int i = 0; i < 200000; ++i) {
    open += "<w:sdt>";
    close += "</w:sdt>";
  }
  EXPECT_EQ(error_of(test::make_docx(open + test::paragraph("deep") + close)),
            "DOCX is damaged: its XML is nested too deeply");
  // A table inside a table cell, as real documents nest, is read.
  const auto d = extract(test::make_docx("<w:tbl><w:tr><w:tc>" + test::table({{"inner", "cell"}}) +
                                         "</w:tc><w:tc>" + test::paragraph("outer") +
                                         "</w:tc></w:tr><w:tr><w:tc/><w:tc/></w:tr></w:tbl>"));
  EXPECT_EQ(texts(d), (std::vector<std::string>{"inner cell | outer"}));
}

TEST(document_errors, docx_zip_bomb_is_refused_before_inflating) {
  // 17 MiB of XML that deflates to a few KiB: over the default 16 MiB text limit.
  std::string body;
  const std::string p = test::paragraph("All work and no play makes a dull proposal.");
  while (body.size() < (17u << 20)) body += p;
  const std::string bomb = test::make_docx(body);
  EXPECT_LT(bomb.size(), 200u << 10);
  EXPECT_EQ(error_of(bomb), "DOCX text exceeds the limit of 16777216 bytes");
}

TEST(document_errors, docx_that_lies_about_its_size_is_still_capped) {
  // The sizes in the local and central headers claim 100 bytes; inflating must stop at the limit
  // anyway.
  std::string body;
  const std::string p = test::paragraph("Padding text that compresses very well indeed.");
  while (body.size() < (2u << 20)) body += p;
  std::string zip = test::make_zip({{"word/document.xml", test::document_xml(body)}});
  const auto patch = [&](std::size_t at) {
    zip[at] = 100;
    zip[at + 1] = zip[at + 2] = zip[at + 3] = 0;
  };
  patch(22);  // local file header: uncompressed size
  const std::size_t central = zip.rfind("PK\x01\x02");
  ASSERT_NE(central, std::string::npos);
  patch(central + 24);  // central directory: uncompressed size
  extract_limits limits;
  limits.max_text_bytes = 1u << 20;
  const std::string message = error_of(zip, limits);
  EXPECT_TRUE(message == "DOCX text exceeds the limit of 1048576 bytes" ||
              message.starts_with("DOCX is damaged: "))
      << message;
}

TEST(document_errors, nothing_is_printed_for_bad_documents) {
  const std::string pdf = test::make_pdf(test::sample_pages(2));
  testing::internal::CaptureStderr();
  testing::internal::CaptureStdout();
  (void)extract_document(fixture("documents/encrypted.pdf"));
  (void)extract_document(pdf.substr(0, pdf.size() / 2) + "\n%%EOF\n");
  (void)extract_document("%PDF-1.7\n" + random_bytes(5000, 4) + "\n%%EOF\n");
  (void)extract_document(test::make_zip({{"word/document.xml", "<a"}}));
  const std::string out = testing::internal::GetCapturedStdout();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(out, "");
  EXPECT_EQ(err, "");
}

TEST(document_errors, concurrent_extractions_agree) {
  const std::string pdf = test::make_pdf(test::sample_pages(5));
  const std::string encrypted = fixture("documents/encrypted.pdf");
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        const auto d = extract_document(pdf);
        const auto e = extract_document(encrypted);
        if (d && d->lines.size() == 5u * 31u && !e) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 20);
}

// ---- Files -------------------------------------------------------------------------------------

TEST(read_document, reads_a_file_by_content) {
  const temp_file f(test::make_pdf({{"From a file"}}));
  const auto d = knowledge::read_document(f.path());
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->kind, document_kind::pdf);
  EXPECT_EQ(texts(*d), (std::vector<std::string>{"From a file"}));
}

TEST(read_document, errors_name_the_path) {
  const std::string missing = (fs::temp_directory_path() / "no_such_document_here.pdf").string();
  auto r = knowledge::read_document(missing);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, missing + ": cannot read (No such file or directory)");

  const temp_file big(std::string(2000, 'x'));
  extract_limits limits;
  limits.max_bytes = 1000;
  r = knowledge::read_document(big.path(), limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, big.path() + ": document is 2000 bytes; the limit is 1000");

  const temp_file damaged("%PDF-1.4\nnothing more");
  r = knowledge::read_document(damaged.path());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, damaged.path() + ": PDF is damaged or truncated");

  r = knowledge::read_document(fs::temp_directory_path().string());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            fs::temp_directory_path().string() + ": cannot read (Is a directory)");
}

TEST(read_document, dash_reads_standard_input) {
  const temp_file f("# From standard input\nHello.\n");
  const auto d = with_stdin(f.path(), [] { return knowledge::read_document("-"); });
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->kind, document_kind::markdown);
  EXPECT_EQ(headings(*d), (std::vector<std::string>{"From standard input"}));

  const temp_file big(std::string(50, 'x'));
  extract_limits limits;
  limits.max_bytes = 10;
  const auto r = with_stdin(big.path(), [&] { return knowledge::read_document("-", limits); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "standard input: document is more than 10 bytes; the limit is 10");
}

#pragma once
// Text extraction from the documents a vendor sends (plain text, Markdown, PDF, DOCX): the lines
// of the document, each with its line number, page and the heading it falls under, so a review
// can point at where its evidence is.
//
//   auto doc = knowledge::read_document("proposal.pdf");
//   if (!doc) return doc.error().message;  // "proposal.pdf: PDF is encrypted (password protected)"
//   for (const auto& l : doc->lines) ...   // l.text, l.line, l.page, l.section
//
// Input is untrusted: every failure is an error result whose message says what is wrong with the
// document; bad input never throws (only running out of memory does), and nothing is printed.

#include "knowledge/error.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace knowledge {

// One non-blank line of a document's text with where it came from, for evidence locations.
struct text_line {
  std::string text;         // UTF-8, whitespace runs (tabs, no-break spaces, ...) collapsed to one
                            // space, trimmed; never empty
  std::size_t line = 0;     // 1-based line number in the document's text as extracted (blank lines
                            // are counted but not listed); PDF lines count across all pages
  std::size_t page = 0;     // 1-based page for PDF; 0 for text, Markdown and DOCX (a form feed in
                            // text is whitespace, not a page break)
  std::string section;      // the title of the nearest heading at or above this line ("" before the
                            // first heading)
  bool is_heading = false;  // this line is a heading: its section is its own title
};

enum class document_kind { text, markdown, pdf, docx };

// "text", "markdown", "pdf", "docx".
std::string_view kind_name(document_kind k);

struct document {
  document_kind kind = document_kind::text;
  std::vector<text_line> lines;  // non-blank lines in order; at least one
  std::size_t pages = 0;         // PDF page count, 0 otherwise
};

struct extract_limits {
  std::size_t max_bytes = 20u << 20;       // input size
  std::size_t max_pages = 300;             // PDF pages
  std::size_t max_text_bytes = 16u << 20;  // extracted text; also caps the uncompressed size of a
                                           // DOCX's word/document.xml (zip bombs)
};

// Extracts the lines of a document given as bytes. The kind is detected by content, never by a
// file name:
//   - "%PDF-" at the start: PDF (text per page, in physical layout so table rows stay one line);
//   - a ZIP ("PK\3\4") holding word/document.xml: DOCX (paragraphs in order, one line per table
//     row with cells joined by " | ", tabs as spaces, line breaks as new lines);
//   - otherwise text, which must be UTF-8 (a UTF-8 BOM is skipped); it is Markdown when it has
//     Markdown headings, a Markdown table, a fenced code block, or lists together with inline
//     Markdown (links, **bold**, `code`). Lists alone do not make Markdown: plain text uses them
//     too.
// Headings, which set each line's section:
//   - Markdown: ATX ("## Title") and setext ("Title" over "===" or "---") headings; their titles
//     without the markup. The setext underline, table delimiter rows and thematic breaks ("---")
//     are syntax, not text, and are not listed (their line numbers are skipped).
//   - DOCX: paragraphs styled Title or Heading 1-9 (by style id, by style name in
//     word/styles.xml, or by outline level).
//   - text and PDF, and Markdown or DOCX without any heading of their own: a line (its
//     **emphasis** aside) is a heading when it is at most 80 characters, does not end with '.',
//     ',' or ';', is not a list item, table row, page number, table-of-contents line (". . . 12")
//     or a PDF's running header/footer (a page's first or last line repeated on 3 pages, or on
//     most pages but for its numbers), is followed by more text, and is one of:
//       numbered: "1. Overview", "2) Curriculum", "3.1 Scope", "Module 3: RAG",
//         "Week 1–3: Foundations", "Day 2 — Evaluation", "Appendix A: Pricing" (keywords Part,
//         Section, Chapter, Module, Unit, Week(s), Day(s), Phase, Stage, Step, Lesson, Session,
//         Sprint, Milestone, Appendix, Annex), the title after a bare number starting with a
//         capital; not when the line just before or after is numbered the same way (a list);
//       a lead-in ending with ':', at most 8 words, starting with a capital ("Deliverables:");
//       and, unless it holds code symbols ({ } < > = [ ] @ $ ^ * _ | ~ \ ::):
//       ALL CAPS: starting with a capital, at least 2 letters, no lowercase letter, letters the
//         most of its non-space characters ("PRICING", not "USD 40,000"), and not next to
//         another ALL CAPS line (a block of capitals is an address, a table or code);
//       Title Case, at most 8 words (each capitalized but for short joining words such as "and",
//         "of", "the"), standing alone: after a blank line, the start of the document or of a
//         page, or a line that ends a sentence or is a list item, table row or heading; and
//         before a blank line or a line that starts with a capital letter or a digit.
//     The section of a line under such a heading is the heading line without a trailing ':'.
// Errors: "empty document", "document is N bytes; the limit is M", "text is N bytes; the limit
// is M", "not a text, PDF or DOCX document (binary data at byte N)" (N counts from 0),
// "a ZIP archive that is not a Word document", "a legacy Word (.doc) or password-protected
// Office file ...", "PDF is encrypted (password protected)", "PDF is damaged or truncated",
// "PDF has N pages; the limit is M", "PDF has no extractable text (scanned images?)",
// "PDF text exceeds the limit of M bytes", "DOCX is damaged: <why>",
// "DOCX text exceeds the limit of M bytes".
// A PDF with only an owner password (permissions) opens without one and is extracted. The bytes
// need only live during the call. Safe to call from several threads at once.
result<document> extract_document(std::string_view bytes, const extract_limits& limits = {});

// Reads the file at path (at most limits.max_bytes + 1 bytes, so a huge file is refused without
// being read whole) and extracts it; "-" reads standard input. Every error message starts with
// the path ("standard input" for "-"): "notes.pdf: PDF is damaged or truncated",
// "x.txt: cannot read (No such file or directory)", "big.pdf: document is 31457280 bytes; the
// limit is 20971520".
result<document> read_document(const std::string& path, const extract_limits& limits = {});

}  // namespace knowledge

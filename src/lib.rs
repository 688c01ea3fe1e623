//! azabac: an offline compiler, checker and interpreter for Azure ABAC role-assignment
//! conditions (`conditionVersion` "2.0").
//!
//! The front end reads a condition and reports precisely what is wrong with it:
//!
//! ```
//! let parsed = azabac::syntax::parse(
//!     "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'",
//! );
//! assert!(parsed.is_valid());
//! ```
//!
//! See `ARCHITECTURE.md` for the stages and how data flows between them.

pub mod catalog;
pub mod check;
mod condition;
pub mod diagnostic;
pub mod eval;
pub mod id;
pub mod input;
pub(crate) mod json;
pub(crate) mod keys;
pub mod limits;
pub mod rbac;
pub mod report;
mod scan;
pub mod span;
pub mod suite;
pub mod syntax;
pub mod text;

pub use condition::{Checked, Condition};

/// The specification azabac implements, as documentation only (the module exists only in
/// rustdoc, and nothing can be imported from it): what Microsoft documents about the condition
/// language and Azure RBAC, and the decisions azabac takes where the documents are silent. Doc
/// comments cite them by link (`[decision 24](crate::spec::decisions#decision-24)`), so a
/// citation opens the place it names; `tests/docs.rs` checks that every anchor exists.
#[cfg(all(doc, not(doctest)))]
pub mod spec {
    /// `docs/spec/LANGUAGE.md`: the condition language as Microsoft documents it, with the
    /// evidence for each rule. Sections are anchored `section-N-M`.
    #[allow(
        rustdoc::broken_intra_doc_links,
        rustdoc::bare_urls,
        rustdoc::invalid_html_tags,
        rustdoc::invalid_rust_codeblocks,
        reason = "the specification is prose for GitHub: evidence tags like [INF], bare URLs, `<T>` outside code"
    )]
    #[doc = include_str!("../docs/spec/LANGUAGE.md")]
    pub mod language {}
    /// `docs/spec/DECISIONS.md`: what azabac does where the documents are silent; it wins
    /// over the language document. Each decision is anchored `decision-N` (`decision-r13`).
    ///
    /// [language-section-14]: crate::spec::language#section-14
    /// [rbac-section-1-9]: crate::spec::rbac#section-1-9
    #[allow(
        rustdoc::broken_intra_doc_links,
        rustdoc::bare_urls,
        rustdoc::invalid_html_tags,
        rustdoc::invalid_rust_codeblocks,
        reason = "the specification is prose for GitHub: evidence tags like [INF], bare URLs, `<T>` outside code"
    )]
    #[doc = include_str!("../docs/spec/DECISIONS.md")]
    pub mod decisions {}
    /// `docs/spec/RBAC.md`: how Azure decides access, with sources. Sections are anchored
    /// `section-N-M`.
    #[allow(
        rustdoc::broken_intra_doc_links,
        rustdoc::bare_urls,
        rustdoc::invalid_html_tags,
        rustdoc::invalid_rust_codeblocks,
        reason = "the specification is prose for GitHub: evidence tags like [INF], bare URLs, `<T>` outside code"
    )]
    #[doc = include_str!("../docs/spec/RBAC.md")]
    pub mod rbac {}
}

/// The library reference's examples (`docs/library.md`), run as doctests.
#[doc = include_str!("../docs/library.md")]
#[cfg(doctest)]
pub struct LibraryDoctests;

/// The testing reference's examples (`docs/testing.md`), run as doctests.
#[doc = include_str!("../docs/testing.md")]
#[cfg(doctest)]
pub struct TestingDoctests;

//! Delimiters and nesting, measured on the token list before anything builds a tree: unbalanced
//! `(`/`{` are repaired (each repair reported, pointing at the opener), and the nesting depth
//! decides whether the tokens are parsed at all
//! ([decision 13](crate::spec::decisions#decision-13)).

use super::tokens::{SpannedToken, Token};
use crate::diagnostic::{Code, Collector, Diagnostic};
use crate::limits::MAX_NESTING;
use crate::span::Span;

/// Makes every `(`/`{` closed and every `)`/`}` opened, reporting each repair, so that the
/// parser does not report the same mistake again at the end of the input. One scan, editing in
/// place: balanced input (the common case) is left untouched.
pub(super) fn repair_delimiters(
    tokens: &mut Vec<SpannedToken<'_>>,
    end: usize,
    diagnostics: &mut Collector,
) {
    if !balanced(tokens) {
        repair_unbalanced(tokens, end, diagnostics);
    }
}

/// [`repair_delimiters`] without the quick check.
pub(super) fn repair_unbalanced(
    tokens: &mut Vec<SpannedToken<'_>>,
    end: usize,
    diagnostics: &mut Collector,
) {
    let mut open: Vec<(bool, Span)> = Vec::new(); // (is_paren, span)
    let mut unmatched: Vec<usize> = Vec::new();
    for (index, (start, token, stop)) in tokens.iter_mut().enumerate() {
        let span = Span::between(*start, *stop);
        let closer = match token {
            Token::LParen | Token::LBrace => {
                open.push((*token == Token::LParen, span));
                continue;
            }
            Token::RParen => true,
            Token::RBrace => false,
            _ => continue,
        };
        let (found, expected) = if closer {
            ("`)`", "`}`")
        } else {
            ("`}`", "`)`")
        };
        match open.pop() {
            Some((is_paren, _)) if is_paren == closer => {}
            Some((is_paren, opener)) => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnmatchedDelimiter,
                        span,
                        format!(
                            "{found} does not close {}",
                            if is_paren { "`(`" } else { "`{`" }
                        ),
                    )
                    .with_label(opener, "this is the innermost open delimiter")
                    .with_help(format!("write {expected} here")),
                );
                *token = if is_paren {
                    Token::RParen
                } else {
                    Token::RBrace
                };
            }
            None => {
                diagnostics.push(
                    Diagnostic::new(Code::UnmatchedDelimiter, span, format!("unmatched {found}"))
                        .with_help("remove it, or add the opening delimiter it was meant to close"),
                );
                unmatched.push(index);
            }
        }
    }
    if !unmatched.is_empty() {
        // `unmatched` is ascending, so one cursor walks it alongside the tokens.
        let mut drop = unmatched.into_iter().peekable();
        let mut index = 0;
        tokens.retain(|_| {
            let keep = drop.next_if_eq(&index).is_none();
            index += 1;
            keep
        });
    }
    while let Some((is_paren, opener)) = open.pop() {
        let (what, closer, token) = if is_paren {
            ("`(`", "`)`", Token::RParen)
        } else {
            ("`{`", "`}`", Token::RBrace)
        };
        diagnostics.push(
            Diagnostic::new(Code::UnclosedDelimiter, opener, format!("unclosed {what}"))
                .with_label(
                    Span::point(end),
                    format!("the condition ends here without {closer}"),
                )
                .with_help(format!("add the matching {closer}")),
        );
        tokens.push((crate::span::offset(end), token, crate::span::offset(end)));
    }
}

/// Whether every `(`/`{` is closed by its own kind and nothing else is closed: the check of
/// [`repair_delimiters`] without its bookkeeping, on a stack of bits (one per open delimiter,
/// set for a parenthesis). Deeper than 128 it gives up, and the full scan decides.
pub(super) fn balanced(tokens: &[SpannedToken<'_>]) -> bool {
    let mut stack: u128 = 0;
    let mut depth = 0u32;
    for (_, token, _) in tokens {
        let closer = match token {
            Token::LParen | Token::LBrace => {
                if depth == u128::BITS {
                    return false;
                }
                stack = stack << 1 | u128::from(*token == Token::LParen);
                depth += 1;
                continue;
            }
            Token::RParen => 1,
            Token::RBrace => 0,
            _ => continue,
        };
        if depth == 0 || stack & 1 != closer {
            return false;
        }
        stack >>= 1;
        depth -= 1;
    }
    depth == 0
}

/// How deep the tokens nest, and where nesting first exceeds [`MAX_NESTING`], counting each
/// open parenthesis and each negation whose operand has not ended. Tree depth is at most a
/// small multiple of this, so every recursive walk of a tree that passed is shallow.
pub(super) fn nesting(tokens: &[SpannedToken<'_>]) -> (usize, Option<Span>) {
    // For each open parenthesis: the nesting outside it. Each frame is at most the deepest
    // nesting so far, and there are at most that many, so a fixed array holds them all.
    let mut frames = [0u16; MAX_NESTING + 2];
    let mut open = 0;
    let mut base = 0;
    let mut pending_negations = 0;
    let mut deepest = 0;
    for (start, token, end) in tokens {
        match token {
            Token::LParen => {
                if let Some(frame) = frames.get_mut(open) {
                    *frame = u16::try_from(base).unwrap_or(u16::MAX);
                }
                open += 1;
                base += 1 + pending_negations;
                pending_negations = 0;
            }
            Token::RParen => {
                // An unmatched `)` closes nothing: the nesting is back to none.
                base = match open.checked_sub(1) {
                    Some(outer) => {
                        open = outer;
                        frames.get(outer).map_or(0, |&frame| usize::from(frame))
                    }
                    None => 0,
                };
                pending_negations = 0;
            }
            Token::Not => pending_negations += 1,
            _ => pending_negations = 0,
        }
        deepest = deepest.max(base + pending_negations);
        if deepest > MAX_NESTING {
            return (deepest, Some(Span::between(*start, *end)));
        }
    }
    (deepest, None)
}

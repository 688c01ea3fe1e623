//! A budget of work one host file may cause ([`crate::limits`]), spent as a reader resolves
//! values, and where in the file it ran out: a file past its budget is an error of that file
//! ([`crate::input::error::Budget`]), never a silent partial reading.

use std::cell::Cell;

/// What is left of one file's budget.
#[derive(Debug)]
pub(crate) struct Meter {
    limit: usize,
    left: Cell<usize>,
    /// The offset in the file where the budget ran out, once it has.
    passed: Cell<Option<usize>>,
}

impl Meter {
    /// A budget of `limit` units.
    pub(crate) fn new(limit: usize) -> Meter {
        Meter {
            limit,
            left: Cell::new(limit),
            passed: Cell::new(None),
        }
    }

    /// Spends `units` for work at `at` in the file; `false` once the budget is spent, and
    /// from then on.
    pub(crate) fn spend(&self, units: usize, at: usize) -> bool {
        let left = self.left.get();
        if self.passed.get().is_some() || units > left {
            self.left.set(0);
            if self.passed.get().is_none() {
                self.passed.set(Some(at));
            }
            return false;
        }
        self.left.set(left - units);
        true
    }

    /// Where the budget ran out, if it did.
    pub(crate) fn passed(&self) -> Option<usize> {
        self.passed.get()
    }

    /// The budget, in units.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::Meter;

    #[test]
    fn a_budget_runs_out_once_and_stays_out() {
        let meter = Meter::new(10);
        assert!(meter.spend(4, 1));
        assert!(meter.spend(6, 2));
        assert_eq!(meter.passed(), None);
        assert!(!meter.spend(1, 3));
        assert!(!meter.spend(0, 4));
        assert_eq!(meter.passed(), Some(3));
    }
}

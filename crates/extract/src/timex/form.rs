//! What the scanner recognises before anything is resolved: the form of an expression
//! ([`Form`]) and what its context says about it ([`Found`]).

use chrono::Weekday;

use super::Modifier;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// A part of a month or a year ("early", "the second half of").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Start,
    Mid,
    End,
    FirstHalf,
    SecondHalf,
}

impl Part {
    /// The TIMEX2 modifier of a part ("the first half of May": START).
    pub fn modifier(self) -> Modifier {
        match self {
            Part::Start | Part::FirstHalf => Modifier::Start,
            Part::Mid => Modifier::Mid,
            Part::End | Part::SecondHalf => Modifier::End,
        }
    }
}

/// A recognised expression before resolution.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Form {
    /// Calendar date with any of its parts missing (a day without a month is never made).
    Date {
        year: Option<i32>,
        month: Option<u32>,
        day: Option<u32>,
    },
    /// Day range in one month: "11–13 May".
    DayRange {
        year: Option<i32>,
        month: u32,
        from: u32,
        to: u32,
    },
    /// Month range: "May–June 2015".
    MonthRange {
        year: Option<i32>,
        from: u32,
        to: u32,
    },
    /// Days in different months: "18 August – 15 September 1951", "March 19–April 30".
    DaySpan {
        year: Option<i32>,
        from: (u32, u32),
        to: (u32, u32),
    },
    /// Years with the second abbreviated: "1915–17", "2007-08".
    YearRange {
        from: i32,
        to: i32,
    },
    /// Numeric date whose day and month may be swapped.
    Ambiguous {
        year: i32,
        a: u32,
        b: u32,
    },
    Season {
        year: Option<i32>,
        season: Season,
        offset: i64,
    },
    /// Relative to the anchor by a number of units (0: the same unit).
    Relative {
        unit: Unit,
        offset: i64,
    },
    /// A part of the anchor's month or year ("the end of the month").
    PartOf {
        unit: Unit,
        part: Part,
        offset: i64,
    },
    /// Relative to the published date ("yesterday").
    Deictic {
        unit: Unit,
        offset: i64,
    },
    Weekday(Weekday),
    Decade(i32),
    /// "the 20th": a day of the narrative's month.
    DayOfMonth(u32),
    /// "July 25 of that year", "January 24 of the same year"; `shift` days after it ("eight
    /// days before the new year": 1 January of the next year, shifted -8).
    DayOfYear {
        month: u32,
        day: u32,
        offset: i64,
        shift: i64,
    },
    /// "the previous April" (-1), "the following March" (1), "March of that year" (0 with
    /// year offset).
    MonthOf {
        month: u32,
        offset: i64,
        same_year: bool,
    },
    /// "at the same time", "by this time": the story's time, as precisely as the story knows it.
    Current,
}

/// Where a range splits into its two ends ("11–13 May" → "11" and "13 May").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Split {
    /// The first end stops before token `first_end`; the second starts at token `second`.
    Tokens { first_end: usize, second: usize },
    /// One hyphenated token ("August-September"): the hyphen is `at` bytes into it.
    InToken { at: usize },
}

/// An expression the scanner found, from token `start` to `end` (exclusive), with what its
/// context says about it.
pub(super) struct Found {
    pub start: usize,
    pub end: usize,
    pub form: Form,
    pub modifier: Option<Modifier>,
    /// For ranges: where the first part ends and the second begins.
    pub split: Option<Split>,
    /// The expression opens its sentence or clause ("In 1943, …"), set by the scanner.
    pub opens_clause: bool,
    /// The expression tells of a time ahead of the story ("until …", "planned for …").
    pub ahead: bool,
    /// The expression is in brackets ("(1790)", "(Davies 2004)"), set by the scanner.
    pub bracketed: bool,
    /// The expression is what something is compared with ("compared to the carnage of November"):
    /// a time before the story's.
    pub compared: bool,
    /// The expression qualifies a noun ("the May 2007 high", "the June 1944 landings"): a name
    /// for something, not a step of the story.
    pub attributive: bool,
    /// Inside its clause, a past perfect comes before the expression ("forces that had invaded
    /// Burma in late 1943"): a look back.
    pub pluperfect: bool,
    /// The first expression of a paragraph that follows a heading: a section often opens where
    /// its story starts ("Yorktown\n\nThe theaters converged in 1781 at Yorktown. In early
    /// September …").
    pub leads_section: bool,
}

impl Found {
    /// What a pattern found from token `start` to `end`; the scanner sets what the context says.
    pub fn new(start: usize, end: usize, form: Form) -> Found {
        Found {
            start,
            end,
            form,
            modifier: None,
            split: None,
            opens_clause: false,
            ahead: false,
            bracketed: false,
            compared: false,
            attributive: false,
            pluperfect: false,
            leads_section: false,
        }
    }

    /// The same, with a modifier ("early", "the end of").
    pub fn modified(start: usize, end: usize, form: Form, modifier: Modifier) -> Found {
        Found {
            modifier: Some(modifier),
            ..Found::new(start, end, form)
        }
    }

    /// A range that splits into two ends at `first_end` and `second` (token indexes).
    pub fn range(
        start: usize,
        end: usize,
        form: Form,
        (first_end, second): (usize, usize),
    ) -> Found {
        Found {
            split: Some(Split::Tokens { first_end, second }),
            ..Found::new(start, end, form)
        }
    }
}

use super::*;

/// Scan `sentences` in order under `title`; check (text, value, earliest, latest) of each
/// expression.
fn check(
    title: &str,
    published: Option<&str>,
    sentences: &[&str],
    expected: &[(&str, &str, &str, &str)],
) {
    let published = published.map(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").unwrap());
    let mut n = Narrative::new(title, published);
    let got: Vec<(String, String, String, String)> = sentences
        .iter()
        .flat_map(|s| n.scan(s))
        .map(|t| {
            (
                t.text,
                t.value,
                t.earliest.to_string(),
                t.latest.to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String, String, String)> = expected
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, want);
}

/// Scan a whole untitled document; check (text, value) of each expression as printed.
fn check_values(text: &str, expected: &[(&str, &str)]) {
    let got: Vec<(String, String)> = scan_document(text, "", None)
        .into_iter()
        .map(|e| (e.text, e.value))
        .collect();
    let want: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn absurd_relative_offsets_are_no_date() {
    // found by the fuzzer: "99999999 weeks later" overflowed chrono's TimeDelta
    check(
        "War (1939–1945)",
        None,
        &[
            "The city fell on 3 May 1940.",
            "99999999 weeks later it was retaken; 99999999999 days later too.",
        ],
        &[("3 May 1940", "1940-05-03", "1940-05-03", "1940-05-03")],
    );
    check(
        "",
        None,
        &[
            "On 3 May 1940 the city fell.",
            "Two weeks later it was retaken.",
        ],
        &[
            ("3 May 1940", "1940-05-03", "1940-05-03", "1940-05-03"),
            ("Two weeks later", "1940-W19", "1940-05-11", "1940-05-17"),
        ],
    );
}

#[test]
fn a_non_breaking_hyphen_after_mid_is_one_character() {
    // found by the fuzzer: "mid\u{2011}is" (U+2011 is three bytes) was cut inside the hyphen
    let _ = scan_document("WaHih c=9\u{2014}2 9 =4\u{2014}mid\u{2011}is", "", None);
    check(
        "",
        None,
        &["Fighting resumed in mid\u{2011}June 2014."],
        &[(
            "mid\u{2011}June 2014",
            "2014-06",
            "2014-06-11",
            "2014-06-20",
        )],
    );
}

#[test]
fn explicit_dates_in_all_orders() {
    check(
        "",
        None,
        &["On 7 March 1999 and on March 9, 1999, then the 1st of May 2001; also 2003-02-01."],
        &[
            ("7 March 1999", "1999-03-07", "1999-03-07", "1999-03-07"),
            ("March 9, 1999", "1999-03-09", "1999-03-09", "1999-03-09"),
            (
                "the 1st of May 2001",
                "2001-05-01",
                "2001-05-01",
                "2001-05-01",
            ),
            ("2003-02-01", "2003-02-01", "2003-02-01", "2003-02-01"),
        ],
    );
}

#[test]
fn year_comes_from_title_before_an_older_background_year() {
    check(
        "Siege of Karm (April–May 2012)",
        None,
        &[
            "In early 2009, troops arrived.",
            "By 6 April, they had advanced.",
            "The next day they withdrew.",
        ],
        &[
            ("early 2009", "2009", "2009-01-01", "2009-04-30"),
            ("6 April", "2012-04-06", "2012-04-06", "2012-04-06"),
            ("The next day", "2012-04-07", "2012-04-07", "2012-04-07"),
        ],
    );
}

#[test]
fn modifiers_narrow_the_interval_not_the_value() {
    check(
        "",
        None,
        &["In mid-October 1998 and late June 1998 and the end of May 1998 and early 1997."],
        &[
            ("mid-October 1998", "1998-10", "1998-10-11", "1998-10-20"),
            ("late June 1998", "1998-06", "1998-06-21", "1998-06-30"),
            ("the end of May 1998", "1998-05", "1998-05-21", "1998-05-31"),
            ("early 1997", "1997", "1997-01-01", "1997-04-30"),
        ],
    );
}

#[test]
fn relative_expressions_follow_the_anchor() {
    check(
        "",
        None,
        &[
            "On 2 February 1940 the line broke.",
            "Two days later it held.",
            "The following week was quiet.",
            "Later that month, rain fell.",
            "The following year, peace came.",
        ],
        &[
            ("2 February 1940", "1940-02-02", "1940-02-02", "1940-02-02"),
            ("Two days later", "1940-02-04", "1940-02-04", "1940-02-04"),
            ("The following week", "1940-W06", "1940-02-05", "1940-02-11"),
            ("Later that month", "1940-02", "1940-02-01", "1940-02-29"),
            ("The following year", "1941", "1941-01-01", "1941-12-31"),
        ],
    );
}

#[test]
fn months_going_backwards_far_roll_to_the_next_year() {
    check(
        "",
        None,
        &[
            "In November 1942 the army attacked.",
            "In February the front held.",
        ],
        &[
            ("November 1942", "1942-11", "1942-11-01", "1942-11-30"),
            ("February", "1943-02", "1943-02-01", "1943-02-28"),
        ],
    );
    // five months back is far enough: a story in October goes on to next May
    check(
        "",
        None,
        &[
            "In October 1820 the rains ended.",
            "In May the march resumed.",
        ],
        &[
            ("October 1820", "1820-10", "1820-10-01", "1820-10-31"),
            ("May", "1821-05", "1821-05-01", "1821-05-31"),
        ],
    );
    // four is not: "In April" after August is the spring just told of
    check(
        "",
        None,
        &[
            "In August 1820 the rains ended.",
            "In April the march had begun.",
        ],
        &[
            ("August 1820", "1820-08", "1820-08-01", "1820-08-31"),
            ("April", "1820-04", "1820-04-01", "1820-04-30"),
        ],
    );
}

#[test]
fn ranges_and_ambiguous_numeric_dates() {
    check(
        "",
        None,
        &["Between 11 and 13 May 2015 and on 4/5/2015 and 20–22 June 2015."],
        &[
            (
                "11 and 13 May 2015",
                "2015-05-11",
                "2015-05-11",
                "2015-05-13",
            ),
            ("4/5/2015", "2015-05-04", "2015-04-05", "2015-05-04"),
            ("20–22 June 2015", "2015-06-20", "2015-06-20", "2015-06-22"),
        ],
    );
}

#[test]
fn not_dates() {
    check(
        "",
        None,
        &["The 1st Division sent 2000 troops along Highway 1944 on page 12; they may march."],
        &[],
    );
}

#[test]
fn a_weekday_in_the_sentence_naming_the_day_is_the_nearest_one() {
    // 8 January 2022 was a Saturday: "on Friday night" in its sentence is the 7th; in a
    // sentence of its own a weekday is the next one (Monday the 10th)
    check(
        "",
        None,
        &[
            "On 8 January 2022, dozens rioted following the passing of cars on Friday night.",
            "On Monday, the police came back.",
        ],
        &[
            ("8 January 2022", "2022-01-08", "2022-01-08", "2022-01-08"),
            ("Friday", "2022-01-07", "2022-01-07", "2022-01-07"),
            ("Monday", "2022-01-10", "2022-01-10", "2022-01-10"),
        ],
    );
}

#[test]
fn published_date_anchors_news() {
    check(
        "",
        Some("2022-01-05"),
        &[
            "On Monday, gunmen attacked a checkpoint.",
            "On 30 December, shelling hit the town.",
        ],
        &[
            ("Monday", "2022-01-03", "2022-01-03", "2022-01-03"),
            ("30 December", "2021-12-30", "2021-12-30", "2021-12-30"),
        ],
    );
}

#[test]
fn narrative_references() {
    check(
        "",
        None,
        &[
            "On 4 June 1916 the attack began; that same day the line held.",
            "By month's end the front was quiet, and late in the year the army withdrew.",
            "The previous April had been calm.",
        ],
        &[
            ("4 June 1916", "1916-06-04", "1916-06-04", "1916-06-04"),
            ("that same day", "1916-06-04", "1916-06-04", "1916-06-04"),
            ("month's end", "1916-06", "1916-06-21", "1916-06-30"),
            ("late in the year", "1916", "1916-09-01", "1916-12-31"),
            ("The previous April", "1916-04", "1916-04-01", "1916-04-30"),
        ],
    );
}

#[test]
fn asides_do_not_move_the_story() {
    check(
        "",
        None,
        &[
            "In March 1930 the siege began, a plan dating from 1905.",
            "The offensive lasted until the fall of Kars in May 1931.",
            "In April, the garrison surrendered.",
        ],
        &[
            ("March 1930", "1930-03", "1930-03-01", "1930-03-31"),
            ("1905", "1905", "1905-01-01", "1905-12-31"),
            ("May 1931", "1931-05", "1931-05-01", "1931-05-31"),
            ("April", "1930-04", "1930-04-01", "1930-04-30"),
        ],
    );
}

#[test]
fn a_year_named_a_little_ahead_gives_the_next_month_its_year() {
    // "for 1952" is named in passing, yet the story has moved on to it; a source's year in
    // brackets and a year far ahead (a retrospective) do not count
    check(
        "",
        None,
        &[
            "In October 1951 the front froze.",
            "Both sides prepared the 1952 campaigns.",
            "In April, the assault opened.",
        ],
        &[
            ("October 1951", "1951-10", "1951-10-01", "1951-10-31"),
            ("1952", "1952", "1952-01-01", "1952-12-31"),
            ("April", "1952-04", "1952-04-01", "1952-04-30"),
        ],
    );
    check(
        "",
        None,
        &[
            "In October 1951 the front froze (Hale 1952), a stalemate studied until 1990.",
            "In November, it snowed.",
        ],
        &[
            ("October 1951", "1951-10", "1951-10-01", "1951-10-31"),
            ("1952", "1952", "1952-01-01", "1952-12-31"),
            ("1990", "1990", "1990-01-01", "1990-12-31"),
            ("November", "1951-11", "1951-11-01", "1951-11-30"),
        ],
    );
}

#[test]
fn the_story_resumes_after_a_flashback_or_a_look_far_ahead() {
    check(
        "",
        None,
        &[
            "On 2 May 1941 the port fell.",
            "The treaty of 12 August 1939 had foreseen it.",
            "On 20 May, the island was invaded.",
        ],
        &[
            ("2 May 1941", "1941-05-02", "1941-05-02", "1941-05-02"),
            ("12 August 1939", "1939-08-12", "1939-08-12", "1939-08-12"),
            ("20 May", "1941-05-20", "1941-05-20", "1941-05-20"),
        ],
    );
    check(
        "",
        None,
        &[
            "On 2 May 1941 the port fell.",
            "In March 1950 a memorial was built there.",
            "On 20 May, the island was invaded.",
        ],
        &[
            ("2 May 1941", "1941-05-02", "1941-05-02", "1941-05-02"),
            ("March 1950", "1950-03", "1950-03-01", "1950-03-31"),
            ("20 May", "1941-05-20", "1941-05-20", "1941-05-20"),
        ],
    );
    // a year on is the story moving, not a jump
    check(
        "",
        None,
        &[
            "On 2 May 1941 the port fell.",
            "In June 1942 the siege was lifted.",
            "In May, the army left.",
        ],
        &[
            ("2 May 1941", "1941-05-02", "1941-05-02", "1941-05-02"),
            ("June 1942", "1942-06", "1942-06-01", "1942-06-30"),
            ("May", "1942-05", "1942-05-01", "1942-05-31"),
        ],
    );
}

#[test]
fn spans_across_months_and_pairs_of_days() {
    check_values(
        "The battle of the ridge (29 November - 3 December 1917) failed. It resumed from March 2-April 9, 1918; the surrender came on May 4 and 5, and the 30 and 31 May were quiet. On June 2 and 3 soldiers left.",
        &[
            ("29 November", "1917-11-29"),
            ("3 December 1917", "1917-12-03"),
            ("March 2", "1918-03-02"),
            ("April 9, 1918", "1918-04-09"),
            ("May 4", "1918-05-04"),
            ("5", "1918-05-05"),
            ("the 30", "1918-05-30"),
            ("31 May", "1918-05-31"),
            ("June 2", "1918-06-02"),
            ],
    );
}

#[test]
fn ordinal_ranges_and_the_new_year() {
    check("", None, &["In November 1921 the line held; the assault was moved from the 3rd to the 9th of December 1921.", "Six days before the new year, the fort fell; the new year brought a truce."], &[
        ("November 1921", "1921-11", "1921-11-01", "1921-11-30"),
        ("the 3rd to the 9th of December 1921", "1921-12-03", "1921-12-03", "1921-12-09"),
        ("Six days before the new year", "1921-12-26", "1921-12-26", "1921-12-26"),
        ("the new year", "1922-01-01", "1922-01-01", "1922-01-01"),
    ]);
}

#[test]
fn a_horizon_at_the_end_of_a_clause_does_not_move_the_story() {
    // "by December" says where things stood then; the story is still in March
    check(
        "",
        None,
        &[
            "In March 1965 the first marines landed, and their number grew to 20,000 by December.",
            "In May, the rains came.",
        ],
        &[
            ("March 1965", "1965-03", "1965-03-01", "1965-03-31"),
            ("December", "1965-12", "1965-12-01", "1965-12-31"),
            ("May", "1965-05", "1965-05-01", "1965-05-31"),
        ],
    );
}

#[test]
fn what_the_story_is_compared_with_came_before_it() {
    // "November and January" are the months the quiet spring is measured against
    check(
        "",
        None,
        &[
            "In February 1951 the raids resumed.",
            "In March it was quiet compared with the fighting of November and January.",
            "In May, the rains came.",
        ],
        &[
            ("February 1951", "1951-02", "1951-02-01", "1951-02-28"),
            ("March", "1951-03", "1951-03-01", "1951-03-31"),
            ("November", "1950-11", "1950-11-01", "1950-11-30"),
            ("January", "1951-01", "1951-01-01", "1951-01-31"),
            ("May", "1951-05", "1951-05-01", "1951-05-31"),
        ],
    );
}

#[test]
fn a_date_naming_a_thing_does_not_move_the_story() {
    // "the May 1990 peak" names a peak; the story is still in the spring of 1991
    check(
        "",
        None,
        &[
            "In late April 1991 the raids rose above the May 1990 peak.",
            "In early May, a truce was agreed.",
        ],
        &[
            ("late April 1991", "1991-04", "1991-04-21", "1991-04-30"),
            ("May 1990", "1990-05", "1990-05-01", "1990-05-31"),
            ("early May", "1991-05", "1991-05-01", "1991-05-10"),
        ],
    );
}

#[test]
fn a_horizon_told_relatively_does_not_move_the_story_either() {
    // "by next spring" is a plan; the stop of "U.N." opens no clause
    check(
        "",
        None,
        &[
            "On 2 October 1962 the U.N. planned a pull-out by next spring, starting in November.",
            "On 12 November, the first unit left.",
        ],
        &[
            ("2 October 1962", "1962-10-02", "1962-10-02", "1962-10-02"),
            ("next spring", "1963-SP", "1963-03-01", "1963-05-31"),
            ("November", "1962-11", "1962-11-01", "1962-11-30"),
            ("12 November", "1962-11-12", "1962-11-12", "1962-11-12"),
        ],
    );
}

#[test]
fn a_past_perfect_inside_a_clause_looks_back() {
    // "that had crossed the river in late 1916" is background to the spring of 1917
    check(
        "",
        None,
        &[
            "In April 1917 the cavalry, which had crossed the river in late 1916, took the ridge.",
            "By June, the line held.",
        ],
        &[
            ("April 1917", "1917-04", "1917-04-01", "1917-04-30"),
            ("late 1916", "1916", "1916-09-01", "1916-12-31"),
            ("June", "1917-06", "1917-06-01", "1917-06-30"),
        ],
    );
}

#[test]
fn a_winter_around_the_story_stays_around_it() {
    // told in February 1942, "from November to March" is the winter of 1941–42
    check(
        "",
        None,
        &[
            "In February 1942 the siege went on.",
            "The garrison starved from November to March, then the ice road opened.",
            "In April, the thaw came.",
        ],
        &[
            ("February 1942", "1942-02", "1942-02-01", "1942-02-28"),
            ("November to March", "1941-11", "1941-11-01", "1942-03-31"),
            ("April", "1942-04", "1942-04-01", "1942-04-30"),
        ],
    );
}

#[test]
fn a_year_after_a_heading_opens_its_paragraph() {
    // with no stop before it, the year on a new line still starts the story anew
    check_values("In October 1703 the fleet sailed.\n\nThe second campaign\n\n1704 saw new landings. Later in the year, the fort fell.", &[
        ("October 1703", "1703-10"),
        ("1704", "1704"),
        ("Later in the year", "1704"),
    ]);
}

#[test]
fn a_section_opens_where_its_story_starts() {
    // a bare year inside a sentence is an aside, unless it is the first date after a heading
    check_values("The raids went on until May 1812. In August 1812 the garrison surrendered.\n\nThe northern front\n\nBoth armies met at the river in 1811 before the thaw. In late March, the bridge was burnt.", &[
        ("May 1812", "1812-05"),
        ("August 1812", "1812-08"),
        ("1811", "1811"),
        ("late March", "1811-03"),
    ]);
    // not after a sentence of the same paragraph, nor when the line before is a sentence
    check_values("In August 1812 the garrison surrendered.\nBoth armies met at the river in 1811 before the thaw. In late March, the bridge was burnt.", &[
        ("August 1812", "1812-08"),
        ("1811", "1811"),
        ("late March", "1813-03"),
    ]);
}

#[test]
fn since_a_month_and_as_opposed_to_look_back() {
    // "since February" told in September is the February before; a date the story is set
    // against, with its own year, does not move the story either
    check_values("On 12 September 1911 the envoy reported that raids had stayed the same since February. Losses fell to ten a week, as opposed to forty in March 1910. The following month, the talks resumed.", &[
        ("12 September 1911", "1911-09-12"),
        ("February", "1911-02"),
        ("March 1910", "1910-03"),
        ("The following month", "1911-10"),
    ]);
}

#[test]
fn the_same_time_is_the_storys_time() {
    // as precisely as the story knows it; "the time of …", "by the time …" and "the same
    // time as …" name another time, and none of them moves the story
    check_values("On 4 March 1822 the envoy left the capital. At the same time, the rebels crossed the river. In May 1822 the fleet sailed; by this time the port was empty. At the time of the truce, nobody believed it. By the time the envoy returned, the war was over. At the same time as the siege, a revolt broke out.", &[
        ("4 March 1822", "1822-03-04"),
        ("the same time", "1822-03-04"),
        ("May 1822", "1822-05"),
        ("this time", "1822-05"),
    ]);
}

#[test]
fn days_of_the_week_count_back_from_publication() {
    // a Wednesday's report: "on Tuesday … on Monday … on Saturday" are the days before it,
    // not the days after the last one; what "will" happen lies ahead
    check(
        "",
        Some("2017-09-06"),
        &[
            "Troops entered the town on Tuesday.",
            "Air strikes hit the hills on Monday.",
            "Rebels had retreated on Saturday.",
            "Talks will resume on Friday.",
        ],
        &[
            ("Tuesday", "2017-09-05", "2017-09-05", "2017-09-05"),
            ("Monday", "2017-09-04", "2017-09-04", "2017-09-04"),
            ("Saturday", "2017-09-02", "2017-09-02", "2017-09-02"),
            ("Friday", "2017-09-08", "2017-09-08", "2017-09-08"),
        ],
    );
}

#[test]
fn a_list_of_numbers_shares_the_last_ones_unit() {
    check(
        "",
        None,
        &["In 1950 the general recalled the wars of five, ten, and twenty years earlier."],
        &[
            ("1950", "1950", "1950-01-01", "1950-12-31"),
            ("five", "1945", "1945-01-01", "1945-12-31"),
            ("ten", "1940", "1940-01-01", "1940-12-31"),
            ("twenty years earlier", "1930", "1930-01-01", "1930-12-31"),
        ],
    );
    // a list of other things is no date
    check_values(
        "In 1950 they lost 5, 10 and 20 men two years later.",
        &[("1950", "1950"), ("two years later", "1952")],
    );
}

#[test]
fn a_phrase_in_apposition_names_the_day_before_it() {
    check("", None, &["On 9 May 1864, the third day of the siege, the fort fell; on 2 June 1864 - two days after the relief arrived - it was retaken."], &[
        ("9 May 1864", "1864-05-09", "1864-05-09", "1864-05-09"),
        ("the third day of the siege", "1864-05-09", "1864-05-09", "1864-05-09"),
        ("2 June 1864", "1864-06-02", "1864-06-02", "1864-06-02"),
        ("two days after the relief arrived", "1864-06-02", "1864-06-02", "1864-06-02"),
    ]);
}

#[test]
fn with_no_story_yet_a_date_told_ahead_still_sets_the_year() {
    check(
        "",
        None,
        &[
            "Talks dragged on until in March 1980 the envoys left.",
            "In April, the border was closed.",
        ],
        &[
            ("March 1980", "1980-03", "1980-03-01", "1980-03-31"),
            ("April", "1980-04", "1980-04-01", "1980-04-30"),
        ],
    );
}

#[test]
fn a_year_in_brackets_is_an_aside() {
    check(
        "",
        None,
        &[
            "On 3 May 1871 the commune fell.",
            "The law (1850) was repealed.",
            "On 9 June, the assembly met.",
        ],
        &[
            ("3 May 1871", "1871-05-03", "1871-05-03", "1871-05-03"),
            ("1850", "1850", "1850-01-01", "1850-12-31"),
            ("9 June", "1871-06-09", "1871-06-09", "1871-06-09"),
        ],
    );
}

#[test]
fn an_abbreviated_second_year_is_its_own_year() {
    check_values(
        "During 1961-63 and again in 1998-2001, but 1999-00 too; 1944-45 troops.",
        &[
            ("1961", "1961"),
            ("63", "1963"),
            ("1998", "1998"),
            ("2001", "2001"),
            ("1999", "1999"),
            ("00", "2000"),
            ("1944", "1944"),
        ],
    );
}

#[test]
fn ranges_print_as_their_two_ends() {
    check_values(
        "Fighting (August-September 1950) and again on 6–7 January 1951.",
        &[
            ("August", "1950-08"),
            ("September 1950", "1950-09"),
            ("6", "1951-01-06"),
            ("7 January 1951", "1951-01-07"),
        ],
    );
}

#[test]
fn seasons_and_decades() {
    check(
        "",
        None,
        &["In the summer of 1942 and in the 1990s."],
        &[
            ("the summer of 1942", "1942-SU", "1942-06-01", "1942-08-31"),
            ("the 1990s", "199", "1990-01-01", "1999-12-31"),
        ],
    );
}

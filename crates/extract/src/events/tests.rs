//! The coder's tests: whole documents coded end to end, and the helpers the passes' own tests
//! share (a sentence's context, its clauses).

use std::collections::HashMap;

use super::{
    attribution, candidates, clauses::Clause, counts, fold, mentions, DocState, SentenceCtx,
};
use crate::registry::Registry;
use crate::segment;
use crate::text::{tokenize, Token};
use crate::timex::{Narrative, Timex};
use crate::{Document, Extractor};

/// Run `f` on the context of each sentence of `texts` in turn, before any pass, as one document
/// (one state, the document's countries as focus); `f` is told which sentence is the last.
pub(super) fn with_sentences(
    texts: &[&str],
    mut f: impl FnMut(&mut SentenceCtx<'_>, &mut DocState, bool),
) {
    let x = Extractor::builtin();
    let text = texts.join(" ");
    let (sentences, _) = segment::split_accounted(&text);
    assert_eq!(sentences.len(), texts.len(), "{texts:?}");
    let toks: Vec<Vec<Token>> = sentences.iter().map(|s| tokenize(&s.text)).collect();
    let mut counts = HashMap::new();
    for t in &toks {
        x.registry.count_countries(t, &mut counts);
    }
    let focus = Registry::focus_of(&counts);
    let mut narrative = Narrative::new("", None);
    let timexes: Vec<Vec<Timex>> = sentences
        .iter()
        .zip(&toks)
        .map(|(s, t)| narrative.scan_tokens(&s.text, t))
        .collect();
    let mut state = DocState::default();
    for (i, s) in sentences.iter().enumerate() {
        let mut cx = SentenceCtx::new(&x.registry, &x.lexicon, &focus, s, &toks[i], &timexes[i]);
        f(&mut cx, &mut state, i + 1 == sentences.len());
    }
}

/// Run `f` on the context of the one sentence `text`, before any pass.
pub(super) fn with_sentence<R>(
    text: &str,
    f: impl FnOnce(&mut SentenceCtx<'_>, &mut DocState) -> R,
) -> R {
    let mut f = Some(f);
    let mut r = None;
    with_sentences(&[text], |cx, state, _| r = f.take().map(|f| f(cx, state)));
    r.expect("one sentence")
}

/// Run `f` on the clauses of the one sentence `text`, folded if `folded`.
pub(super) fn with_clauses<R>(
    text: &str,
    folded: bool,
    f: impl FnOnce(&SentenceCtx<'_>, &mut [Clause]) -> R,
) -> R {
    with_sentence(text, |cx, state| {
        mentions(cx, state);
        let reports = attribution::reports(cx);
        let cands = candidates::find(cx, counts::bodies_found(cx.tokens), &mut Vec::new());
        let mut clauses = super::clauses::build(cx, cands, &reports);
        if folded {
            fold::all(cx, &mut clauses);
        }
        f(cx, &mut clauses)
    })
}

#[test]
fn quotation_marks_enclose_direct_speech() {
    let t = tokenize("He said \u{201c}we attacked\u{201d} and left.");
    let q = super::quoted(&t);
    let inside: Vec<&str> = t
        .iter()
        .zip(&q)
        .filter(|(_, q)| **q)
        .map(|(t, _)| t.lower.as_str())
        .collect();
    assert_eq!(inside, ["\u{201c}", "we", "attacked", "\u{201d}"]);
}

/// The events of an untitled, unpublished `text`.
fn events(text: &str) -> Vec<crate::Event> {
    Extractor::builtin()
        .extract(Document {
            text,
            title: "",
            published: None,
        })
        .events
}

/// Extract `text` under `title` and compare each event, in order, as
/// "KIND earliest..latest actor-ids @ place mentions [+flags]".
fn check(title: &str, text: &str, expected: &[&str]) {
    let x = Extractor::builtin();
    let r = x.extract(Document {
        text,
        title,
        published: None,
    });
    let got: Vec<String> = r
        .events
        .iter()
        .map(|e| {
            let mut s = format!(
                "{:?} {}..{} {} @ {}",
                e.kind,
                e.when.earliest.map(|d| d.to_string()).unwrap_or_default(),
                e.when.latest.map(|d| d.to_string()).unwrap_or_default(),
                e.actors
                    .iter()
                    .map(|a| a.id.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                e.places
                    .iter()
                    .map(|p| p.mention.as_str())
                    .collect::<Vec<_>>()
                    .join(";")
            );
            if let Some(f) = e.fatalities {
                s.push_str(&format!(" +killed {f}"));
            }
            if let Some(a) = &e.attribution {
                s.push_str(&format!(" +per {}", a.source));
            }
            if e.failed {
                s.push_str(" +failed");
            }
            if e.hedged {
                s.push_str(" +hedged");
            }
            s
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn an_elaborating_clause_folds_into_its_event() {
    check("", "On 2 March 2012, the Syrian Army captured Tal Kalakh, securing the roads to the town, and stormed Qusayr.", &[
        "Capture 2012-03-02..2012-03-02 saa @ Tal Kalakh",
        "Attack 2012-03-02..2012-03-02 saa @ Qusayr",
    ]);
}

#[test]
fn verbs_sharing_an_object_make_one_event() {
    check(
        "",
        "On 9 July 2016, Ahrar al-Sham attacked and recaptured the village of Khalidiyah.",
        &["Capture 2016-07-09..2016-07-09 ahrar @ Khalidiyah"],
    );
}

#[test]
fn as_well_as_adds_a_second_object() {
    check("", "On 4 May 2014, rebels took control of Jabal Ruweis, as well as Tal Hamra, which overlooks Kafr Nabl.", &[
        "Capture 2014-05-04..2014-05-04 opposition @ Jabal Ruweis",
        "Capture 2014-05-04..2014-05-04 opposition @ Tal Hamra;Kafr Nabl",
    ]);
}

#[test]
fn intentions_and_negations_are_not_events() {
    check("", "In June 2013, the Army planned to capture Talbiseh. The rebels did not withdraw from Rastan.", &[]);
}

#[test]
fn failure_and_hedges_change_the_event() {
    check(
        "",
        "On 3 August 2015, ISIL reportedly assaulted Mahin but was repelled.",
        &["Attack 2015-08-03..2015-08-03 isil @ Mahin +failed +hedged"],
    );
}

#[test]
fn claims_and_reports_set_the_attribution() {
    check("", "On 5 May 2016, the Syrian Army claimed to have captured Tal Sheikh. According to SOHR, rebels shelled Jisreen.", &[
        "Capture 2016-05-05..2016-05-05 saa @ Tal Sheikh +per Syrian Arab Army",
        "Bombardment 2016-05-05..2016-05-31 rebels @ Jisreen +per Syrian Observatory for Human Rights",
    ]);
}

#[test]
fn fatalities_are_people_killed_not_other_numbers() {
    check("", "On 1 June 2014, Hezbollah ambushed a convoy near Flita with 23 mm guns, killing at least 16 militants and wounding 30.", &[
        "Attack 2014-06-01..2014-06-01 hezbollah,rebels @ Flita +killed 16",
    ]);
}

#[test]
fn direct_speech_is_a_statement() {
    check(
        "",
        "In May 2015, Hassan Nasrallah said \"we will capture every hill of Qalamoun\".",
        &["Statement 2015-05-01..2015-05-31 hezbollah @  +per Hassan Nasrallah"],
    );
}

#[test]
fn a_division_named_state_is_no_report() {
    let evs = events("On 10 March 2022, troops clashed with gunmen around Sakaba (Kebbi), in the boundary between Kebbi and Zamfara state.");
    let kinds: Vec<_> = evs.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [crate::Kind::Clash]);
    assert!(
        events("Falam is the second-largest city in Chin State and a former state capital.")
            .is_empty()
    );
    let evs = events("On 3 May 2022, the governor of Kebbi State stated that the road was closed.");
    assert_eq!(
        evs.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [crate::Kind::Statement]
    );
}

#[test]
fn clashes_continuing_between_two_sides_are_a_clash() {
    let evs = events("Around 23 February 2022, clashes between Afar regional special forces and TPLF forces continued in Abala (Kilbati-Zone 2, Afar). Casualties unknown.");
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].kind, crate::Kind::Clash);
    let ids: Vec<_> = evs[0].actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["afar_sf", "tplf"]);
    // a gerund after a place's chain is a clause of the act: its victims are the act's targets
    let evs = events("On 15 March 2022, ADF militia attacked Nyakabale village (Irumu, Ituri) killing 2 civilians.");
    assert_eq!(evs.len(), 1);
    assert!(evs[0]
        .actors
        .iter()
        .any(|a| a.role == crate::Role::Target && a.kind == "civilians"));
    assert_eq!(evs[0].fatalities, Some(2));
    // fighting that "continued" after a clause of its own is not this clash's subject
    assert!(
        events("On 2 May 2022, the fighting stopped and the talks continued in Abala.")
            .iter()
            .all(|e| e.kind != crate::Kind::Clash)
    );
}

#[test]
fn a_coders_place_is_the_events_and_a_label_names_no_actor() {
    let evs = events("Change to armed group: On 4 February 2022, the 20th Brigade of the Peshmerga was subordinated to the Iraqi Ministry of Defense under an agreement between Baghdad and Erbil. Coded as Khanaqin district, Diyala.");
    assert_eq!(evs.len(), 1);
    let places: Vec<_> = evs[0].places.iter().map(|p| p.mention.as_str()).collect();
    assert_eq!(places, ["Khanaqin district"]);
    // the label's "armed group" is no actor, nor is Iraq's 20th Brigade Syria's
    let ids: Vec<_> = evs[0].actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["peshmerga"]);
    // a village in the coder's place stays one of the event's
    let evs = events("On 11 February 2022, two people were abducted by ADF members in Simbanda (Mambasa, Ituri) [coded to Mambasa].");
    let places: Vec<_> = evs[0].places.iter().map(|p| p.mention.as_str()).collect();
    assert_eq!(places, ["Mambasa", "Simbanda"]);
}

#[test]
fn a_first_level_unit_keeps_its_head() {
    // "Kherson oblast" is the oblast, not Kherson city; "Zamfara state" the state
    let evs = events("On 2 March 2022, Russian forces shelled Kherson oblast.");
    assert_eq!(evs[0].places[0].mention, "Kherson oblast");
    let evs = events(
        "On 24 February 2022, Ukrainian forces clashed with Russian forces in Bucha, Kyiv oblast.",
    );
    let places: Vec<_> = evs[0]
        .places
        .iter()
        .map(|p| (p.mention.as_str(), p.near.as_deref()))
        .collect();
    assert!(
        places.contains(&("Bucha", Some("Kyiv oblast"))),
        "{places:?}"
    );
    // and a local unit: the district is the township's, no place of the event's own
    let evs = events("On 16 March 2022, in Gyobingauk township (Thayarwady district, Bago-West region), military forces shot and injured a man.");
    let places: Vec<_> = evs[0]
        .places
        .iter()
        .map(|p| (p.mention.as_str(), p.near.as_deref()))
        .collect();
    assert_eq!(
        places,
        [(
            "Gyobingauk township",
            Some("Thayarwady district, Bago-West region")
        )]
    );
}

#[test]
fn a_span_between_two_months_is_both_ends() {
    for text in [
        "Between 28 February and 2 March 2022, militants attacked Gao.",
        "Between 28 February 2022 and 2 March 2022, militants attacked Gao.",
    ] {
        let evs = events(text);
        let w = &evs[0].when;
        let ends = (
            w.earliest.map(|d| d.to_string()),
            w.latest.map(|d| d.to_string()),
        );
        assert_eq!(
            ends,
            (Some("2022-02-28".into()), Some("2022-03-02".into())),
            "{text}"
        );
    }
}

#[test]
fn a_protest_broken_up_in_the_next_sentence_met_intervention() {
    let sub = |text: &str| {
        events(text)
            .into_iter()
            .find(|e| e.kind == crate::Kind::Protest)
            .and_then(|e| e.acled_sub_event_type)
    };
    let with = Some("Protest with intervention".to_string());
    assert_eq!(sub("On 18 April 2022, about 50 Haredis demonstrated outside the house of the mayor in Jerusalem. A police force dispersed the demonstration."), with);
    assert_eq!(sub("On 10 January 2022, more than 600 migrants demonstrated in Tripoli. Libyan police forces beat up and arrested demonstrators."), with);
    // a quiet protest stays peaceful, and what befalls a later protest is that one's
    assert_eq!(
        sub("On 10 January 2022, teachers demonstrated in Tripoli. The protest ended peacefully."),
        Some("Peaceful protest".to_string())
    );
}

#[test]
fn became_makes_a_passive_and_a_verb_of_taking_marks_its_object_a_place() {
    let evs = events("On 18 August 2014, they quickly became encircled by the insurgents.");
    assert_eq!(
        evs.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [crate::Kind::Siege]
    );
    // the object of an infinitive of entering or storming is a place ("attempt to enter Ilovaisk")
    let evs = events("On 18 August 2014, government forces attacked again to enter Ilovaisk.");
    assert!(
        evs.iter()
            .any(|e| e.places.iter().any(|p| p.mention == "Ilovaisk")),
        "{evs:?}"
    );
}

#[test]
fn pronouns_take_the_last_agent() {
    check(
        "",
        "On 7 April 2015, Jaysh al-Islam advanced on Douma. It then besieged Harasta.",
        &[
            "Advance 2015-04-07..2015-04-07 jaysh_islam @ Douma",
            "Siege 2015-04-07..2015-04-30 jaysh_islam @ Harasta",
        ],
    );
}

#[test]
fn an_unknown_organisation_is_a_provisional_actor() {
    check(
        "",
        "On 2 July 2013, the Farouq Brigades shelled Homs.",
        &["Bombardment 2013-07-02..2013-07-02 prov:farouq-brigades @ Homs"],
    );
}

#[test]
fn an_undated_sentence_inherits_a_widened_interval() {
    check("Battle of Rastan (May 2014)", "On 3 May, rebels attacked Rastan. The Army withdrew from the checkpoint at Talbiseh. On 9 May, the Army shelled Rastan.", &[
        "Attack 2014-05-03..2014-05-03 opposition @ Rastan",
        "Withdrawal 2014-05-03..2014-05-09 military @ Talbiseh",
        "Bombardment 2014-05-09..2014-05-09 military @ Rastan",
    ]);
}

#[test]
fn the_battle_for_a_place_takes_the_date_of_its_event() {
    check("", "On 12 March 2016, the Army captured Tal Zahra. The battle for Tal Zahra left 9 soldiers dead.", &[
        "Capture 2016-03-12..2016-03-12 military @ Tal Zahra",
        "Casualties 2016-03-12..2016-03-12 military @ Tal Zahra +killed 9",
    ]);
}

#[test]
fn news_notes_protests_detentions_and_coded_counts() {
    check("", "On 3 March 2021, protesters blocked the road in Halba (Akkar) in protest against power cuts.", &["Protest 2021-03-03..2021-03-03 protesters_lb @ Halba"]);
    check(
        "",
        "On 9 May 2021, unknown gunmen shot and killed a shepherd near Jisreen.",
        &["Attack 2021-05-09..2021-05-09 uag,civilians @ Jisreen +killed 1"],
    );
    check("", "On 2 June 2021, IS attacked a post in Ithriya, killing an unknown number of soldiers. Unknown fatalities coded as 10.", &["Attack 2021-06-02..2021-06-02 isil,saa @ Ithriya +killed 10"]);
}

#[test]
fn the_coders_figure_is_the_notes_wherever_its_sentence_states_it() {
    let fatalities = |text: &str| {
        events(text)
            .iter()
            .filter_map(|e| e.fatalities)
            .collect::<Vec<_>>()
    };
    // the figure told apart from its noun ("… fatalities mentioned in … is coded as 3")
    assert_eq!(
        fatalities("On 2 February 2022, militants attacked a military camp in Degem, resulting in unknown number of fatalities. An unidentified number of fatalities mentioned in low intensity conflict area is coded as 3."),
        [3]
    );
    // the coder's figure in a sentence of its own, below what the text counted
    assert_eq!(
        fatalities("On 10 March 2022, troops clashed with gunmen around Sakaba (Kebbi). Scores of militiamen were killed. Scores of fatalities coded as 20."),
        [20]
    );
    // the coder's figure, not what a party reported beside it
    assert_eq!(
        fatalities("On 15 March 2022, rebels attacked the Taliban in Jalalabad. Fatalities coded as 3 (the rebels reported 5 Taliban fatalities including a commander)."),
        [3]
    );
}

#[test]
fn an_aside_in_brackets_or_quotation_marks_stays_inside_the_count() {
    let counted = |text: &str| events(text).iter().filter_map(|e| e.fatalities).max();
    assert_eq!(
        counted("On 8 April 2022, militants attacked a military base in Namissiguima. 12 soldiers and 4 volunteer fighters (VDP) were killed."),
        Some(16)
    );
    assert_eq!(
        counted("On 19 January 2022, the army clashed with militants near Diondiori. Three presumed Katiba Macina (JNIM) militants were killed."),
        Some(3)
    );
    assert_eq!(
        counted("On 19 January 2022, the army carried out strikes in the forests of Banadjougou. 28 'terrorists' were killed."),
        Some(28)
    );
    // a qualifier stays in the phrase only before its noun: "Two other sources reported one
    // soldier was killed" counts one
    assert_eq!(
        counted("On 23 February 2022, an IED detonated in Waajid. Two other sources reported one soldier was killed."),
        Some(1)
    );
}

#[test]
fn a_member_of_a_group_or_a_national_counts() {
    check(
        "",
        "On 24 May 2022, a member of the Amal movement was shot dead by unknown gunmen in Tyre.",
        &["Attack 2022-05-24..2022-05-24 uag_lb,amal @ Tyre +killed 1"],
    );
    check(
        "",
        "On 28 May 2022, a Syrian national was found dead in an orchard in Mhammara.",
        &["Casualties 2022-05-28..2022-05-28 civilians_sy @ Mhammara +killed 1"],
    );
}

#[test]
fn all_of_them_a_qualified_victim_and_the_dead_also_killed() {
    check("", "On 6 June 2022, Turkish drones struck a car carrying three QSD members near Amuda, killing all of them.", &["Bombardment 2022-06-06..2022-06-06 tsk,sdf @ Amuda +killed 3"]);
    check(
        "",
        "On 8 June 2022, gunmen assassinated a former opposition commander in Tafas.",
        &["Attack 2022-06-08..2022-06-08 uag,opposition @ Tafas +killed 1"],
    );
    // a passive with "also" between: its subject suffered it
    check(
        "",
        "On 9 June 2022, 4 IS members were also killed.",
        &["Casualties 2022-06-09..2022-06-09 isil @  +killed 4"],
    );
    check("", "On 12 June 2022, HTS handed over the bodies of two soldiers to regime forces at the Saraqib crossing.", &["Development 2022-06-12..2022-06-12 hts,saa @ Saraqib crossing"]);
}

#[test]
fn a_mukhtar_is_a_civilian_and_seized_fuel_no_territory() {
    check("", "On 19 June 2022, IS gunmen killed a mukhtar in Thiban town in eastern Deir ez Zor.", &["Casualties 2022-06-19..2022-06-19 isil,civilians_sy @ Thiban town;Deir ez Zor +killed 1"]);
    check(
        "",
        "On 15 June 2022, the Lebanese Army seized smuggled fuel in Hermel.",
        &["Development 2022-06-15..2022-06-15 laf @ Hermel"],
    );
}

#[test]
fn a_passive_names_its_object_first_and_an_actor_is_no_verb() {
    // "was launched by": the offensive; "the Islamic State" says nothing (no statement)
    check("", "The Palmyra offensive was launched by the Syrian Army on 7 March 2016 to recapture the city from the Islamic State.", &["Offensive 2016-03-07..2016-03-07 saa,isil @ Palmyra"]);
}

#[test]
fn qualified_counts_after_and_add_up() {
    check(
        "",
        "On 3 May 2016, at least 400 ISIL militants and 188 government soldiers were killed.",
        &["Casualties 2016-05-03..2016-05-03 isil,saa @  +killed 588"],
    );
}

#[test]
fn kin_after_and_add_up() {
    check(
        "",
        "On 6 May 2022, a woman and her daughter were killed by a stray bullet in Bebnine (Akkar).",
        &["Casualties 2022-05-06..2022-05-06 civilians_lb @ Bebnine +killed 2"],
    );
    check(
        "",
        "On 6 May 2022, a man and his two sons were killed by a stray shell in Sarmin.",
        &["Casualties 2022-05-06..2022-05-06 civilians @ Sarmin +killed 3"],
    );
}

#[test]
fn where_the_victims_came_from_is_not_where_it_happened() {
    check(
        "",
        "On 14 May 2022, a man from Kobani was shot dead by Turkish border guards near Tal Abyad.",
        &["Attack 2022-05-14..2022-05-14 tsk,civilians_sy @ Tal Abyad;Kobani +killed 1"],
    );
    check(
        "",
        "On 10 May 2022, residents of Kfar Kila protested in Marjayoun against power cuts.",
        &["Protest 2022-05-10..2022-05-10  @ Marjayoun;Kfar Kila"],
    );
}

#[test]
fn a_clause_with_its_own_subject_is_its_own_event() {
    check("", "On 15 March 2014, the Army took control of Yabroud after the Islamic Front and al-Nusra Front withdrew. At least 25 rebels and 11 soldiers were killed.", &[
        "Capture 2014-03-15..2014-03-15 saa @ Yabroud",
        "Withdrawal 2014-03-15..2014-03-15 prov:islamic-front,nusra @ ",
        "Casualties 2014-03-15..2014-03-31 rebels,saa @  +killed 36",
    ]);
}

#[test]
fn destructive_protests_are_riots_and_fistfights_mob_violence() {
    let x = Extractor::builtin();
    let code = |text: &str| {
        let r = x.extract(Document {
            text,
            title: "",
            published: None,
        });
        r.events
            .iter()
            .map(|e| (e.kind, e.acled_sub_event_type.clone().unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        code("On 4 May 2021, protesters blocked the road in Halba with burning tyres."),
        [(crate::Kind::Riot, "Violent demonstration".to_string())]
    );
    assert_eq!(
        code("On 4 May 2021, protesters blocked the road in Halba."),
        [(crate::Kind::Protest, "Peaceful protest".to_string())]
    );
    assert_eq!(code("On 9 May 2021, physical clashes erupted between supporters of two candidates in Zahle."), [(crate::Kind::Riot, "Mob violence".to_string())]);
}

#[test]
fn the_umbrella_an_actor_operates_under_leads() {
    check("", "On 3 June 2021, Turkish forces and factions operating under Operation Peace Spring shelled Ain Issa.", &["Bombardment 2021-06-03..2021-06-03 ops,tsk @ Ain Issa"]);
}

#[test]
fn a_look_back_from_the_sentences_date_dates_another_event() {
    check("", "On 2 March 2022, protesters blocked the road in Halba against an arrest made seven months ago.", &["Protest 2022-03-02..2022-03-02 protesters_lb @ Halba"]);
}

#[test]
fn a_body_found_counts_its_dead_and_its_killer_follows_by() {
    check(
        "",
        "On 21 March 2022, a man's body was found near Tassil, killed by an unknown armed group.",
        &["Casualties 2022-03-21..2022-03-21 uag,civilians @ Tassil +killed 1"],
    );
    check(
        "",
        "On 8 April 2022, the bodies of three shepherds were found killed near Majdaliya.",
        &["Casualties 2022-04-08..2022-04-08 civilians @ Majdaliya +killed 3"],
    );
}

#[test]
fn by_before_a_gerund_or_after_an_object_tells_how() {
    check("", "On 8 February 2022, residents organized a demonstration by closing the council office in Jadid Bakkara.", &["Protest 2022-02-08..2022-02-08  @ Jadid Bakkara"]);
}

#[test]
fn a_passive_agent_follows_by() {
    check(
        "",
        "On 8 October 2014, Tal Shair was captured by ISIL.",
        &["Capture 2014-10-08..2014-10-08 isil @ Tal Shair"],
    );
}

/// (kind, ACLED sub-event type, "actor:role" list, fatalities) of each event of `text`.
fn coded(text: &str) -> Vec<(crate::Kind, String, Vec<String>, Option<u32>)> {
    let r = Extractor::builtin().extract(Document {
        text,
        title: "",
        published: None,
    });
    r.events
        .iter()
        .map(|e| {
            (
                e.kind,
                e.acled_sub_event_type.clone().unwrap_or_default(),
                e.actors
                    .iter()
                    .map(|a| format!("{}:{:?}", a.id, a.role))
                    .collect(),
                e.fatalities,
            )
        })
        .collect()
}

#[test]
fn who_a_passive_verb_names_first_suffered_it() {
    use crate::Kind::*;
    // the agent inside the by-phrase's noun phrase, the subject the victim
    let got =
        coded("On 2 June 2021, a farmer was killed by a sniper of the Syrian Army near Nawa.");
    assert_eq!(
        (got[0].2.clone(), got[0].3),
        (
            vec!["saa:Agent".to_string(), "civilians_sy:Target".to_string()],
            Some(1)
        )
    );
    // a suspect named acts instead of the unidentified group
    let got = coded("On 2 June 2021, unknown gunmen believed to be IS attacked an SDF vehicle near Shaddadi, killing two SDF members.");
    assert_eq!(
        got[0].2.first().map(String::as_str),
        Some("isil:Agent"),
        "{got:?}"
    );
    // "was found killed": whom the body is of suffered it
    let got =
        coded("On 2 June 2021, the body of an SDF member was found killed in his car near Raqqa.");
    assert!(got[0].2.contains(&"sdf:Target".to_string()), "{got:?}");
    // "shot dead": the shooting kills one; "killed after being shot": one event
    let got = coded("On 3 June 2021, a man was shot dead by gunmen in Tafas.");
    assert_eq!((got.len(), got[0].0, got[0].3), (1, Attack, Some(1)));
    let got = coded("On 4 June 2021, a Hezbollah member was killed after being shot by unknown gunmen in Qusayr.");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0, got[0].3), (Attack, Some(1)));
    assert!(
        got[0].2.contains(&"hezbollah:Target".to_string())
            && got[0]
                .2
                .iter()
                .any(|a| a.starts_with("uag_") && a.ends_with(":Agent")),
        "{got:?}"
    );
    // a body found is a death; the next sentence's count of a party's dead is the event's
    let got = coded("On 4 June 2021, an IED exploded targeting a car in Nawa, killing the Ahrar al-Sham commander.");
    assert_eq!(got[0].3, Some(1), "{got:?}");
    let got = coded("On 4 June 2021, gunmen shot at a council member in Tafas, killing him.");
    assert_eq!(got[0].3, Some(1), "{got:?}");
    let got = coded(
        "On 5 June 2021, the body of a young man was found near Sanamayn, bearing gunshot wounds.",
    );
    assert_eq!((got[0].0, got[0].3), (Casualties, Some(1)));
    // the next sentence's count of a party's dead is a casualties event of its own (the ACLED
    // export folds it into the clash), and "No casualties were reported" says nothing
    let got = coded("On 6 June 2021, HTS fighters clashed with the Syrian Army in Kabani. Four Syrian soldiers were killed. No casualties were reported among HTS.");
    assert_eq!(
        got.iter().map(|e| (e.0, e.3)).collect::<Vec<_>>(),
        [(Clash, None), (Casualties, Some(4))],
        "{got:?}"
    );
    assert_eq!(got[1].2, ["saa:Target"]);
}

#[test]
fn deaths_told_before_their_cause_are_the_causes() {
    use crate::Kind::*;
    let got = coded("On 3 July 2021, a farmer was killed and his son wounded when gunmen opened fire on their tractor near Jasim.");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0, got[0].3), (Attack, Some(1)));
    let got = coded("On 4 July 2021, two policemen were killed and a third wounded in an attack by IS on their checkpoint near Sukhnah.");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0, got[0].3), (Attack, Some(2)));
    assert_eq!(
        got[0].2.first().map(String::as_str),
        Some("isil:Agent"),
        "{got:?}"
    );
    // the owner of the fire that killed is who acted, even with a passive death
    let got = coded("On 5 July 2021, a shepherd died of wounds he had sustained from regime shelling on Kafr Nabl, Idlib.");
    assert_eq!(
        got[0].2.first().map(String::as_str),
        Some("saa:Agent"),
        "{got:?}"
    );
    let got = coded(
        "On 5 July 2021, a detainee died under torture in a regime prison in Adra, Damascus.",
    );
    assert_eq!(
        got[0].2.first().map(String::as_str),
        Some("saa:Agent"),
        "{got:?}"
    );
    // found dead; a possessive victim ("his cousin", "its driver") is one death
    let got = coded("On 6 July 2021, a young man was found dead with stab wounds near Sanamayn.");
    assert_eq!((got[0].0, got[0].3), (Casualties, Some(1)));
    let got =
        coded("On 7 July 2021, a man shot and killed his brother in a family quarrel in Hermel.");
    assert_eq!(got[0].3, Some(1), "{got:?}");
    let got =
        coded("On 8 July 2021, a drone struck a pickup truck near Tal Abyad, killing its driver.");
    assert_eq!(got[0].3, Some(1), "{got:?}");
    // a relative clause on the agent is the same act; a count after a possessive counts
    let got =
        coded("On 11 July 2021, a shepherd was killed by gunmen who opened fire on him near Nawa.");
    assert_eq!((got.len(), got[0].3), (1, Some(1)), "{got:?}");
    let got =
        coded("On 12 July 2021, gunmen ambushed a car near Inkhil, killing its two passengers.");
    assert_eq!(got[0].3, Some(2), "{got:?}");
    let got = coded("On 13 July 2021, a member of the 5th Corps was shot dead in Tafas.");
    assert_eq!(got[0].3, Some(1), "{got:?}");
    let got = coded("On 14 July 2021, an explosion of a mine left over from the war killed a boy near Sanamayn.");
    assert_eq!((got.len(), got[0].3), (1, Some(1)), "{got:?}");
    // a suicide bombing, the bomber's death counted
    let got = coded("On 15 July 2021, an IS member blew himself up at a checkpoint in Hasakah, killing himself.");
    assert_eq!(
        (got.len(), got[0].1.as_str(), got[0].3),
        (1, "Suicide bomb", Some(1)),
        "{got:?}"
    );
    // a noun-phrase predicate and the verb it is the subject of are one event
    let got = coded("On 10 July 2021, an explosion hit a bus in Jarablus, wounding three people.");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].1, "Remote explosive/landmine/IED");
    // an exchange of fire of any kind is a clash
    let got =
        coded("On 9 July 2021, the SNA and the SDF exchanged heavy artillery fire near Manbij.");
    assert_eq!(
        (got[0].0, got[0].1.as_str()),
        (Clash, "Armed clash"),
        "{got:?}"
    );
}

#[test]
fn a_coders_label_says_what_the_note_tells() {
    use crate::Kind::*;
    // the label decides over the verb, and makes the event where no verb coded one
    let got = coded("Security measures: On 3 July 2021, the SDF stormed and closed smuggling crossings on the Euphrates near Shiheil.");
    assert_eq!(
        (got.len(), got[0].0, got[0].1.as_str()),
        (1, Development, "Change to group/activity"),
        "{got:?}"
    );
    let got = coded(
        "Weapons seizure: On 4 July 2021, a cache of rifles belonging to HTS was found in Sarmada.",
    );
    assert_eq!(
        (got.len(), got[0].0, got[0].1.as_str()),
        (1, Development, "Disrupted weapons use"),
        "{got:?}"
    );
    assert_eq!(got[0].2, ["hts:Agent"]);
    // an unknown label is no label
    assert!(coded("Background: On 5 July 2021, the talks in Astana went on.").is_empty());
    // the displaced are the civilians of the note's country (of none named here)
    let got =
        coded("Displacement: On 19 April 2022, about 27 000 people were evacuated from Lozova.");
    assert_eq!(
        (got.len(), got[0].0, got[0].1.as_str(), got[0].2.clone()),
        (1, Development, "Other", vec!["civilians:Agent".to_string()]),
        "{got:?}"
    );
}

#[test]
fn a_coders_note_places_the_events_told_without_a_place() {
    let r = Extractor::builtin().extract(Document { text: "On 5 January 2022, contractual teachers went on strike across the country. Coded to Beirut.", title: "", published: None });
    assert_eq!(r.events.len(), 1);
    assert_eq!(
        r.events[0]
            .places
            .iter()
            .map(|p| p.mention.as_str())
            .collect::<Vec<_>>(),
        ["Beirut"]
    );
    let r = Extractor::builtin().extract(Document {
        text: "On 5 January 2022, judges went on strike across Lebanon. Coded to Beirut.",
        title: "",
        published: None,
    });
    assert_eq!(
        r.events[0]
            .places
            .iter()
            .map(|p| p.mention.as_str())
            .collect::<Vec<_>>(),
        ["Beirut"]
    );
}

#[test]
fn the_worlds_genres() {
    use crate::Kind::*;
    let first = |text: &str| {
        coded(text)
            .into_iter()
            .next()
            .map(|(k, a, who, _)| (k, a, who))
    };
    let kind = |text: &str| first(text).map(|(k, a, _)| (k, a));
    // gatherings told by the nouns of the world's notes
    assert_eq!(
        kind("On 2 May 2022, women staged a march in Bukavu against insecurity."),
        Some((Protest, "Peaceful protest".into()))
    );
    assert_eq!(
        kind("On 28 February 2022, activists took out a protest rally in Hyderabad."),
        Some((Protest, "Peaceful protest".into()))
    );
    assert_eq!(
        kind("On 9 April 2022, women conducted a sit-in in front of the town hall of Boma."),
        Some((Protest, "Peaceful protest".into()))
    );
    assert_eq!(kind("On 6 January 2022, thousands responded to calls for nationwide demonstrations in Atbara."), Some((Protest, "Peaceful protest".into())));
    assert_eq!(
        kind("On 15 February 2022, rioters barricaded roads with burning tires in Aw Bare."),
        Some((Riot, "Violent demonstration".into()))
    );
    // shelling told by its weapons
    assert_eq!(kind("On 21 February 2022, NAF forces fired 122mm mortars and grenade launchers at Ukrainian positions near Pisky."), Some((Bombardment, "Shelling/artillery/missile attack".into())));
    // mines, hostages, arrests
    assert_eq!(
        kind("On 3 May 2022, a shepherd stepped on a landmine near Kidal."),
        Some((Bombardment, "Remote explosive/landmine/IED".into()))
    );
    assert_eq!(
        kind("On 4 May 2022, gunmen took hostage two traders near Zurmi."),
        Some((Abduction, "Abduction/forced disappearance".into()))
    );
    assert_eq!(
        kind("On 5 May 2022, police apprehended three suspects in Kano."),
        Some((Arrest, "Arrests".into()))
    );
    // a vigilante mob who kill are rioters (ACLED's mob violence), of no assumed country
    let (_, _, who) = first("On 7 February 2022, a vigilante mob beat and killed a man in Bunia.")
        .expect("an event");
    assert_eq!(
        who.first().map(String::as_str),
        Some("rioters:Agent"),
        "{who:?}"
    );
}

#[test]
fn acts_that_are_no_battle() {
    use crate::Kind::*;
    let first = |text: &str| coded(text).into_iter().next().map(|(k, a, _, f)| (k, a, f));
    assert_eq!(
        first("On 7 June 2021, ISIL militants executed two shepherds near Sukhnah."),
        Some((Attack, String::new(), Some(2)))
    );
    assert_eq!(
        first("On 8 June 2021, unknown persons threw a hand grenade at a shop in Tyre."),
        Some((Bombardment, "Grenade".into(), None))
    );
    assert_eq!(
        first("On 9 June 2021, Russian forces established a new military point near Tal Tamr."),
        Some((Development, "Headquarters or base established".into(), None))
    );
    assert_eq!(
        first("On 10 June 2021, the Lebanese Army dismantled an explosive device in Arsal."),
        Some((Development, "Disrupted weapons use".into(), None))
    );
    assert_eq!(
        first("On 11 June 2021, the Syrian government released 40 detainees from Adra prison."),
        Some((Development, "Other".into(), None))
    );
    // munitions that fell, gatherings held, people hurt
    assert_eq!(
        first("On 12 June 2021, two mortar shells fell on a school in Ariha."),
        Some((
            Bombardment,
            "Shelling/artillery/missile attack".into(),
            None
        ))
    );
    assert_eq!(
        first("On 13 June 2021, a vigil was held outside the courthouse in Sidon."),
        Some((Protest, "Peaceful protest".into(), None))
    );
    assert_eq!(
        first("On 14 June 2021, hundreds of teachers participated in a protest in Zahle."),
        Some((Protest, "Peaceful protest".into(), None))
    );
    assert_eq!(
        first("On 15 June 2021, gunmen wounded a shepherd near Tafas."),
        Some((Casualties, String::new(), None))
    );
    assert_eq!(
        first("On 16 June 2021, clashes renewed between the SNA and the SDF near Manbij."),
        Some((Clash, "Armed clash".into(), None))
    );
    // forces stepping in on a protest; a brawl; a handover; a stabbing to death
    assert_eq!(
        first("On 17 June 2021, the Lebanese Army fired tear gas at protesters in Tripoli."),
        Some((Protest, "Protest with intervention".into(), None))
    );
    assert_eq!(
        first("On 18 June 2021, residents protested in Jbeil until the army dispersed them."),
        Some((Protest, "Protest with intervention".into(), None))
    );
    assert_eq!(
        first("On 19 June 2021, a fight broke out between supporters of two parties in Zgharta."),
        Some((Riot, "Mob violence".into(), None))
    );
    assert_eq!(first("On 20 June 2021, Russian forces handed over a checkpoint to the Syrian Army near Daraa."), Some((Withdrawal, "Non-violent transfer of territory".into(), None)));
    assert_eq!(
        first("On 21 June 2021, unknown assailants stabbed a young man to death in Tyre."),
        Some((Attack, String::new(), Some(1)))
    );
    let got = coded("On 22 June 2021, a woman was killed when an old shell exploded in her house in Khan Shaykhun.");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0, got[0].3), (Bombardment, Some(1)));
    assert_eq!(first("On 24 June 2021, Turkish forces sent military reinforcements to their bases near Atarib."), Some((Advance, "Change to group/activity".into(), None)));
    assert_eq!(
        first("On 25 June 2021, the SDF dug trenches around Manbij."),
        Some((Development, "Change to group/activity".into(), None))
    );
    assert_eq!(
        first("On 26 June 2021, HTS seized a house belonging to a displaced family in Idlib."),
        Some((Development, "Looting/property destruction".into(), None))
    );
    let got = coded("On 23 June 2021, a Russian airstrike hit the vicinity of Idlib.");
    assert_eq!(got[0].2, ["russia:Agent"]);
}

#[test]
fn a_narrative_of_my_own_battle() {
    // "the town" is the town the story is about, not the city it lies north-west of; a
    // government's aircraft are its forces; a fighting that ended is an end; a list of places
    // may open without a cue
    check(
        "Battle of Hadaba (1998)",
        "The battle was fought for the hill town of Qaryatein, north-west of Palmyra. On 3 July 1998, government aircraft bombed the town. By the end of the month, the fighting in Qaryatein had ended. On 2 August 1998, a truce was agreed, covering Qaryatein, Mahin, al-Hawarin and Sadad.",
        &[
            "Clash 1998-01-01..1998-07-03  @ Qaryatein;Palmyra",
            "Bombardment 1998-07-03..1998-07-03 saa @ Qaryatein",
            "End 1998-07-21..1998-07-31  @ Qaryatein",
            "End 1998-08-02..1998-08-02  @ Qaryatein;Mahin;al-Hawarin;Sadad",
        ],
    );
}

#[test]
fn a_news_report_of_my_own() {
    // a report closing its sentence covers it; "the monitor" is the Observatory; "militants"
    // next to a named jihadist group are that group's; an undated sentence ends at the latest
    // on the day of publication; announcing an offensive is one
    let x = Extractor::builtin();
    let text = "Government troops entered the eastern suburbs of Raqqa on Tuesday, the Syrian Observatory for Human Rights said. \
                Russian warplanes struck Islamic State positions near the city on Monday, killing at least 20 militants, according to the monitor. \
                Rebels shelled the airport, the group's Amaq news agency claimed. \
                The Syrian Democratic Forces announced an offensive against the militants on Saturday.";
    let r = x.extract(Document {
        text,
        title: "",
        published: chrono::NaiveDate::from_ymd_opt(2017, 9, 6),
    });
    let got: Vec<String> = r
        .events
        .iter()
        .map(|e| {
            let actors: Vec<String> = e
                .actors
                .iter()
                .map(|a| format!("{}:{:?}", a.id, a.role))
                .collect();
            format!(
                "{:?} {}..{} {} per {}",
                e.kind,
                e.when.earliest.map(|d| d.to_string()).unwrap_or_default(),
                e.when.latest.map(|d| d.to_string()).unwrap_or_default(),
                actors.join(","),
                e.attribution.as_ref().map_or("-", |a| a.source.as_str())
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "Advance 2017-09-05..2017-09-05 saa:Agent per Syrian Observatory for Human Rights",
            "Bombardment 2017-09-04..2017-09-04 russia:Agent,isil:Target per Syrian Observatory for Human Rights",
            "Bombardment 2017-09-04..2017-09-06 rebels:Agent per Amaq News Agency",
            "Offensive 2017-09-02..2017-09-02 sdf:Agent,isil:Target per Syrian Democratic Forces",
        ]
    );
}

#[test]
fn an_offensive_told_wikipedia_style() {
    // the definition sentence's reduced relative codes the offensive, at its objective too ("to
    // recapture Talbiseh"); "the operation began" is that offensive (its actors and places); a part inside the whole is not added to the
    // count; a sheikh's name with a quarter's head is a place; "the siege began" is a siege
    check(
        "Homs offensive (1997)",
        "The Homs offensive was a military operation launched by the Syrian Army to recapture Talbiseh. \
         The operation began on 2 March with air strikes. \
         On 9 March, at least 41 civilians, including 9 children, were killed in Talbiseh. \
         On 12 March, the army captured the Sheikh Yusuf quarter. \
         The siege of Rastan began on 20 March.",
        &[
            "Offensive 1997-01-01..1997-03-02 saa @ Homs;Talbiseh",
            "Offensive 1997-03-02..1997-03-02 saa @ Homs;Talbiseh",
            "Casualties 1997-03-09..1997-03-09 civilians_sy @ Talbiseh +killed 41",
            "Capture 1997-03-12..1997-03-12 saa @ Sheikh Yusuf quarter",
            "Siege 1997-03-20..1997-03-20  @ Rastan",
        ],
    );
}

#[test]
fn generic_words_mean_the_force_named_last() {
    // in a text about Syria, "the army" after the Lebanese Army is the Lebanese Army's;
    // "militant positions" after a named jihadist group are that group's; a refugee camp is a
    // place, not refugees; an operation's code name is no place; a ceasefire announced is an end
    check(
        "Border fighting (2017)",
        "On 19 August 2017, Hezbollah and the Syrian Army attacked Islamic State positions near Qara in Syria. \
         On 20 August 2017, the Lebanese Army launched an offensive, code-named Dawn of the Hills, near Ras Baalbek. \
         By 28 August 2017, the army had shelled militant positions near the refugee camp of Wadi Hamid. \
         On 30 August 2017, a ceasefire was announced.",
        &[
            "Attack 2017-08-19..2017-08-19 hezbollah,saa,isil @ Qara;Syria",
            "Offensive 2017-08-20..2017-08-20 laf @ Ras Baalbek",
            "Bombardment 2017-08-28..2017-08-28 laf,isil @ Wadi Hamid",
            "End 2017-08-30..2017-08-30  @ ",
        ],
    );
}

#[test]
fn names_losses_and_handovers() {
    // "the Army of Conquest" is a name, not the generic army; losing control is a withdrawal;
    // "only to retake it" happened; a hill handed over later is a transfer; an ISIL suicide
    // bomber who blew himself up is one attack
    check(
        "",
        "On 14 May 2015, the town of Idlib was captured by the Army of Conquest. \
         On 13 May 2015, Hezbollah lost control of the Zawiya hill, only to retake it the following day. \
         The hill was later handed over to the Syrian Army. \
         An ISIL suicide bomber blew himself up in Palmyra on 1 July 2015, killing five soldiers.",
        &[
            "Capture 2015-05-14..2015-05-14 fsa @ Idlib",
            "Withdrawal 2015-05-13..2015-05-13 hezbollah @ Zawiya hill",
            "Capture 2015-05-14..2015-05-14 hezbollah @ Zawiya hill",
            "Withdrawal 2015-05-14..2015-07-01 saa @ ",
            "Bombardment 2015-07-01..2015-07-01 isil,saa @ Palmyra +killed 5",
        ],
    );
}

#[test]
fn a_report_set_between_commas_attributes_its_sentence() {
    let x = Extractor::builtin();
    let text = "On 25 July 2015, Turkish artillery struck YPG positions in Tal Abyad, the Turkish military said, in response to fire from across the border.";
    let r = x.extract(Document {
        text,
        title: "",
        published: None,
    });
    assert_eq!(r.events.len(), 1, "{:?}", r.events);
    assert_eq!(
        r.events[0].attribution.as_ref().map(|a| a.source.as_str()),
        Some("Turkish Armed Forces")
    );
}

#[test]
fn coordinated_clauses_keep_their_own_dates_and_towns() {
    // a date after ", and" is its clause's; "began withdrawing" happened; "the town" is not one
    // of "the villages of"; a group named without a count adds nothing to the dead; "the
    // assault began" is the attack told before
    check(
        "Battle of Nabk (1999)",
        "On 2 March 1999, the Syrian Army attacked the town of Nabk. \
         The assault began after weeks of shelling. \
         On 13 March 1999, government forces captured the village of Deir Attiyah, and the next day they took the hills. \
         On 15 March 1999, rebels began withdrawing from the town of Nabk to the villages of Rankous and Assal, and the following day the army entered the town. \
         On 20 March 1999, 300 rebels and 50 soldiers and Hezbollah fighters were killed.",
        &[
            "Attack 1999-03-02..1999-03-02 saa @ Nabk",
            "Offensive 1999-03-02..1999-03-13 saa @ Nabk",
            "Capture 1999-03-13..1999-03-13 saa @ Deir Attiyah",
            "Withdrawal 1999-03-15..1999-03-15 rebels @ Nabk;Rankous;Assal",
            "Advance 1999-03-16..1999-03-16 saa @ Nabk",
            "Casualties 1999-03-20..1999-03-20 rebels,saa,hezbollah @  +killed 350",
        ],
    );
}

#[test]
fn the_dead_and_the_injured_of_one_act() {
    use crate::Kind::*;
    // killed and injured in one attack are one event, told where the attack was; missiles
    // launched are a strike; "killed in clashes with" is the clash
    let got = coded("On 4 April 2017, at least 60 people were killed and more than 300 injured in a chemical attack on the town of Kafr Zita.");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].0, got[0].1.as_str(), got[0].3),
        (Bombardment, "Chemical weapon", Some(60))
    );
    let got = coded("On 7 April 2017, the United States launched 40 Tomahawk cruise missiles at the Tiyas airbase.");
    assert_eq!(got.first().map(|e| e.0), Some(Bombardment), "{got:?}");
    let got = coded("On 3 August 2018, two Hezbollah fighters were killed in clashes with ISIL militants near Sukhnah.");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0, got[0].3), (Clash, Some(2)));
}

#[test]
fn places_fall_to_those_who_take_them() {
    // "X fell to Y and Z", "X came under the control of Y", "X was recaptured by Y": Y takes X,
    // and X is a place though no preposition marks it; "pushed the rebels out of X" is a capture
    check(
        "",
        "On 5 June 2013, Qusayr fell to the Syrian Army and Hezbollah. \
         On 2 April 2016, Mhin came under the control of the Syrian Army. \
         On 3 April 2016, Sadad was recaptured by the army. \
         On 14 May 2016, the army pushed the rebels out of Kafr Ruma.",
        &[
            "Capture 2013-06-05..2013-06-05 saa,hezbollah @ Qusayr",
            "Capture 2016-04-02..2016-04-02 saa @ Mhin",
            "Capture 2016-04-03..2016-04-03 saa @ Sadad",
            "Capture 2016-05-14..2016-05-14 saa @ Kafr Ruma",
        ],
    );
}

#[test]
fn sieges_lifted_and_counteroffensives() {
    check(
        "",
        "On 7 March 2014, the siege of Nubl was lifted. \
         On 9 March 2014, the army broke the siege of Kuweires airbase. \
         On 13 March 2014, rebels launched a counteroffensive near Kessab.",
        &[
            "End 2014-03-07..2014-03-07  @ Nubl",
            "End 2014-03-09..2014-03-09 military @ Kuweires airbase",
            "Offensive 2014-03-13..2014-03-13 opposition @ Kessab",
        ],
    );
}

#[test]
fn a_settlement_named_by_its_noun_keeps_its_clause() {
    // "then stormed the village" and "captured the town" are events of their own, at the
    // village and the town the text named
    check(
        "",
        "On 15 March 2014, the army shelled the town of Nabk and the village of Deir Attiyah, then stormed the village. \
         On 16 March 2014, rebels attacked the town of Qara and captured the town.",
        &[
            "Bombardment 2014-03-15..2014-03-15 military @ Nabk;Deir Attiyah",
            "Attack 2014-03-15..2014-03-15 military @ Deir Attiyah",
            "Attack 2014-03-16..2014-03-16 opposition @ Qara",
            "Capture 2014-03-16..2014-03-16 opposition @ Qara",
        ],
    );
}

#[test]
fn a_year_that_names_a_thing_or_a_bracketed_aside_dates_no_event() {
    let days = |text: &str| {
        events(text)
            .iter()
            .map(|e| e.when.earliest.map(|d| d.to_string()).unwrap_or_default())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        days("On 12 January 2022, members of the GDA held a protest in Larkana city, demanding the repeal of the Sindh Local Government (Amendment) Act 2021."),
        ["2022-01-12"]
    );
    assert_eq!(
        days("On 8 March 2022, party members staged a protest in Agra city against tampering during the assembly elections 2022."),
        ["2022-03-08"]
    );
    // a date in brackets only qualifies the clause's own
    assert_eq!(
        days("Around 19 January 2022 (between 17 - 22 January), the Malian army carried out artillery strikes in Banadjougou."),
        ["2022-01-19"]
    );
    // a year after a preposition still dates its clause
    assert_eq!(
        days("The rebels captured the town in 2014."),
        ["2014-01-01"]
    );
}

#[test]
fn a_coders_location_places_the_events_it_notes() {
    let first = |text: &str| -> Vec<(String, Option<String>)> {
        events(text)
            .iter()
            .filter_map(|e| e.places.first())
            .map(|p| (p.mention.clone(), p.near.clone()))
            .collect()
    };
    let place = |m: &str, near: Option<&str>| (m.to_string(), near.map(str::to_string));
    // in the sentence, after the coder's words, with the divisions that follow it
    assert_eq!(
        first("On 1 January 2022, 5 civilians were killed by OLF-Shane fighters in Horo Gudru Wellega zone (coded to zone capital, Shambu, Horo Gudru Wellega, Oromia)."),
        [place("Shambu", Some("Horo Gudru Wellega, Oromia"))]
    );
    // told with none, in the divisions of the place it stands for
    assert_eq!(
        first("On 11 February 2022, two people were abducted by ADF members in Simbanda (Mambasa, Ituri) [coded to Mambasa]."),
        [place("Mambasa", Some("Ituri"))]
    );
    // in a sentence of its own, for the events before it
    assert_eq!(
        first("On 3 March 2022, militiamen attacked civilians in undisclosed communities in Zamfara. Location coded to Gusau (Gusau, Zamfara)."),
        [place("Gusau", Some("Zamfara"))]
    );
    // a figure or an actor is no place
    assert_eq!(
        first(
            "On 3 March 2022, militants attacked a camp in Degem. Unknown fatalities coded as 3."
        ),
        [place("Degem", None)]
    );
    assert_eq!(
        first("On 22 March 2022, Israeli authorities (coded as Police Force of Israel) demolished houses in Rahat."),
        [place("Rahat", None)]
    );
    assert_eq!(
        first(
            "On 21 June 2022, 5 gunmen (coded as Darfur communal militia) looted shops in Nyala."
        ),
        [place("Nyala", None)]
    );
}

#[test]
fn counts_of_the_dead_told_in_parts_or_of_one_known_person() {
    let fatalities = |text: &str| {
        events(text)
            .iter()
            .filter_map(|e| e.fatalities)
            .collect::<Vec<_>>()
    };
    // "the death of" a group's members, each count its own
    assert_eq!(
        fatalities("On 3 January 2022, NDC-R clashed with the Mai-Mai Kabidon in Bukumbirwa, leading to the death of 3 Mai-Mai Kabidon FPP/AP and 3 NDC-R/Guidon."),
        [6]
    );
    // two counts with a place between them
    assert_eq!(
        fatalities("On 14 April 2022, ADF rebels killed 8 civilians in Mbakira village and 7 civilians in Chavinyungu village."),
        [15]
    );
    // one person the text told of, and one with an "of" phrase before the verb
    assert_eq!(
        fatalities("On 15 March 2022, an IED detonated in Dhobley town. The businessman was killed and two others were injured."),
        [1]
    );
    assert_eq!(
        fatalities("On 13 January 2022, a former commander of uprising forces was shot dead by the Taliban forces in Rustaq."),
        [1]
    );
    // a thing the text told of is no person, nor one death a protest is over
    assert!(
        fatalities("On 2 March 2022, the army shelled Kabani. The town was destroyed.").is_empty()
    );
    assert!(fatalities("On 13 January 2022, locals held a protest in Darhal over the death of a person due to the lack of an ambulance.").is_empty());
}

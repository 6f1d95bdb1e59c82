//! Stories on topics other than the reference story, written here in our own words: credited openings,
//! unnamed sources of a named outlet, nationality adjectives and people that are no places, outlet grades from a
//! domain-ratings file, and the Markdown of a large story staying small.

use crate::common::{root, run, scratch, write};

/// The draft story of a folder, as TOML text.
fn draft(dir: &std::path::Path) -> String {
    let out = run(&["extract", dir.to_str().expect("utf-8 path"), "-q"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

#[test]
fn a_credited_opening_names_the_outlet() {
    let dir = scratch("credited-opening");
    write(
        &dir,
        "clinic.txt",
        "(CNN) - The singer was seen leaving a private clinic in the early hours of Tuesday, a spokeswoman said.\n\n\
         The spokeswoman said the visit was a routine check.\n",
    );
    write(
        &dir,
        "merger.txt",
        "Chicago (Reuters) - The two grain traders agreed to merge on Monday, the companies said in a joint statement.\n",
    );
    let story = draft(&dir);
    // The bracketed names became the articles' outlets, and the opening is not part of any statement.
    assert!(story.contains("outlet = \"cnn\""), "{story}");
    assert!(story.contains("outlet = \"reuters\""), "{story}");
    assert!(!story.contains("quote = \"(CNN)"), "{story}");
    assert!(!story.contains("Unknown outlet"), "{story}");
}

#[test]
fn unnamed_sources_of_an_outlet_are_relayed_by_it() {
    let dir = scratch("owned-sources");
    write(
        &dir,
        "phone.md",
        "+++\noutlet = \"The Daily Ledger\"\n+++\n\nThe Journal's sources say the phone maker will open a store in the old \
         post office next spring.\n\nAccording to Gurman's sources, the watch will go on sale in April.\n",
    );
    let story = draft(&dir);
    // outlet ← the Journal ← its unnamed sources; the reporter's sources likewise.
    assert!(story.contains("-sources\""), "{story}");
    let chains: Vec<&str> = story.lines().filter(|l| l.starts_with("chain = ")).collect();
    assert!(chains.iter().any(|c| c.matches(", ").count() == 2 && c.contains("-sources\"]")), "{chains:?}");
    assert!(story.contains("kind = \"anonymous\""), "{story}");
}

#[test]
fn nationality_adjectives_and_people_are_no_places() {
    let dir = scratch("no-places");
    let text = "Militants said the killing of Dana Whitfield was revenge for American airstrikes on their fighters. \
                The militants said U.S. airstrikes and ongoing US air strikes had hit their bases. \
                Government troops said they would keep up the strikes. The militants said Iraqi villages had been \
                hit by the bombing. Militants in Mosul said the army had fled. Troops said they had taken \
                the town.\n";
    write(&dir, "a.txt", text);
    write(&dir, "b.txt", &text.replace("Militants said", "Fighters claimed"));
    let story = draft(&dir);
    for bad in [
        "air strikes on American",
        "on Whitfield",
        "in Whitfield",
        "on Iraqi",
        "in Iraqi",
        "on U.S",
        "in U.S",
        "on US",
        "in US",
    ] {
        assert!(!story.contains(bad), "{bad:?} read as a place:\n{story}");
    }
}

#[test]
fn domain_ratings_grade_outlets_and_bad_rows_are_located() {
    let dir = scratch("ratings");
    write(&dir, "wire.md", "+++\noutlet = \"Reuters\"\n+++\n\nThe port reopened on Friday after the storm.\n");
    write(&dir, "tab.md", "+++\noutlet = \"Daily Mail\"\n+++\n\nThe port reopened on Friday after the storm.\n");
    let csv = write(&dir, "ratings.csv", "domain,score\nreuters.com,0.97\ndailymail.co.uk,0.31\n");
    let plain = run(&["score", dir.to_str().unwrap(), "--format", "json", "-q"]);
    let rated = run(&["score", dir.to_str().unwrap(), "--format", "json", "-q", "--ratings", &csv]);
    assert_eq!((plain.code, rated.code), (0, 0), "{}{}", plain.stderr, rated.stderr);
    assert!(rated.stdout.contains("\"grade_from\": \"rating:reuters.com=0.970\""), "{}", rated.stdout);
    assert!(rated.stdout.contains("\"grade_from\": \"rating:dailymail.co.uk=0.310\""), "{}", rated.stdout);
    assert!(!plain.stdout.contains("rating:"), "no ratings without a file");
    // The same through the config, relative to the config file.
    let config = write(&dir, "mine.toml", "[ratings]\nfile = \"ratings.csv\"\n");
    let via_config = run(&["score", dir.to_str().unwrap(), "--format", "json", "-q", "--config", &config]);
    assert!(via_config.stdout.contains("rating:reuters.com"), "{}", via_config.stderr);
    // A bad row: file, line and a hint; nothing scored.
    let bad = write(&dir, "bad.csv", "domain,score\nreuters.com,97\n");
    let out = run(&["score", dir.to_str().unwrap(), "-q", "--ratings", &bad]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("bad.csv:2") && out.stderr.contains("[0, 1]"), "{}", out.stderr);
}

/// The published aggregate of Lin et al. (2023) in `../shared` (not shipped: it states no licence), read as a
/// user would point credence at it.
#[test]
fn the_published_domain_ratings_read_when_present() {
    let csv = root().join("../shared/reference/domain-quality/domain_pc1.csv");
    if !csv.is_file() {
        println!("skipped: {} not found (CI always has it)", csv.display());
        return;
    }
    let dir = scratch("ratings-published");
    write(&dir, "a.md", "+++\noutlet = \"Associated Press\"\n+++\n\nThe bridge reopened on Friday.\n");
    write(&dir, "b.md", "+++\noutlet = \"Breitbart\"\n+++\n\nThe bridge reopened on Friday.\n");
    let out = run(&["score", dir.to_str().unwrap(), "--format", "json", "-q", "--ratings", csv.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("rating:apnews.com=0.998"), "{}", out.stdout);
    // 0.297 is below the D cut point (0.30): grade E.
    assert!(out.stdout.contains("rating:breitbart.com=0.297"), "{}", out.stdout);
}

#[test]
fn a_large_story_keeps_its_markdown_small() {
    let dir = scratch("large-md");
    for i in 0..45 {
        let body = (0..12)
            .map(|k| format!("Officials said crew {k} of depot {i} repaired {} metres of track on day {k}.", 10 + k))
            .collect::<Vec<_>>()
            .join(" ");
        write(&dir, &format!("a{i:02}.txt"), &format!("{body}\n\nThe line reopened on Monday, the operator said.\n"));
    }
    let out = run(&["score", dir.to_str().unwrap(), "--format", "md", "-q"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Sections follow for"), "large-story note missing");
    assert!(out.bytes.len() < 300_000, "{} bytes", out.bytes.len());
    let json = run(&["score", dir.to_str().unwrap(), "--format", "json", "-q"]);
    // Every claim is still in the Markdown's table.
    let claims = json.stdout.matches("\"rank\": ").count();
    assert!(claims > 60, "{claims} claims");
    let rows = out
        .stdout
        .lines()
        .filter(|l| l.split(" | ").next().is_some_and(|n| n.trim_start_matches("| ").parse::<usize>().is_ok()));
    assert_eq!(rows.count(), claims);
}

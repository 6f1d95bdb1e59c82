//! The gazetteer of news organisations: look-ups by name, domain and URL, ambiguity, validation of a bad file,
//! overrides, and robustness on arbitrary input.

use std::collections::BTreeSet;

use credence_extract::extract::Lexicons;
use credence_extract::gazetteer::{Gazetteer, NameMatch};
use proptest::prelude::*;

fn id_of(o: Option<&credence_extract::gazetteer::Outlet>) -> Option<&str> {
    o.map(|o| o.id.as_str())
}

#[test]
fn builtin_loads_with_hundreds_of_outlets_of_known_kinds() {
    // The shipped file loads without a problem (were it not to, `builtin()` would be empty).
    let loaded = Gazetteer::from_toml("outlets.toml", credence_extract::gazetteer::BUILTIN_OUTLETS);
    let g = Gazetteer::builtin();
    assert_eq!(loaded.as_ref().ok(), Some(&g), "{:?}", loaded.as_ref().err().map(ToString::to_string));
    assert!(g.len() >= 400, "only {} outlets", g.len());
    // Every kind used is a kind of the shipped configuration.
    let config: toml::Table = include_str!("../../../config/default.toml").parse().unwrap();
    let kinds: BTreeSet<String> = config["kinds"].as_table().unwrap().keys().cloned().collect();
    g.check_kinds(&|k| kinds.contains(k)).unwrap();
    for k in ["wire-agency", "state-agency", "outlet", "state-media", "tabloid", "fact-checker", "satire"] {
        assert!(g.outlets().iter().any(|o| o.kind == k), "no outlet of kind {k}");
    }
    // Many countries.
    let countries: BTreeSet<&str> = g.outlets().iter().filter_map(|o| o.country.as_deref()).collect();
    assert!(countries.len() >= 60, "{} countries", countries.len());
}

#[test]
fn names_resolve_whatever_their_form() {
    let g = Gazetteer::builtin();
    let cases = [
        ("The New York Times", "nyt"),
        ("New York Times", "nyt"),
        ("NYT", "nyt"),
        ("nyt's", "nyt"),
        ("the  new   york TIMES", "nyt"),
        ("The Wall Street Journal", "wsj"),
        ("WSJ's", "wsj"),
        ("Wall St. Journal", "wsj"),
        ("CNN", "cnn"),
        ("CNN’s", "cnn"),
        ("Reuters", "reuters"),
        ("(Reuters)", "reuters"),
        ("the Associated Press", "ap"),
        ("A.P.", "ap"),
        ("AFP", "afp"),
        ("Agence France Presse", "afp"),
        ("Agence France-Presse", "afp"),
        ("the Xinhua news agency", "xinhua"),
        ("Xinhua", "xinhua"),
        ("ANSA", "ansa"),
        ("EFE", "efe"),
        ("dpa", "dpa"),
        ("Kyodo", "kyodo"),
        ("TASS", "tass"),
        ("ITAR-TASS", "tass"),
        ("Anadolu Agency", "anadolu"),
        ("Press Trust of India", "pti"),
        ("Yonhap", "yonhap"),
        ("Süddeutsche Zeitung", "sueddeutsche"),
        ("Sueddeutsche Zeitung", "sueddeutsche"),
        ("Al-Jazeera", "al-jazeera"),
        ("Al Jazeera", "al-jazeera"),
        ("MailOnline", "daily-mail"),
        ("the Daily Mail", "daily-mail"),
        ("TMZ", "tmz"),
        ("Snopes", "snopes"),
        ("BuzzFeed", "buzzfeed"),
        ("The Onion", "the-onion"),
        ("The Daily Mash", "daily-mash"),
        ("World News Daily Report", "world-news-daily-report"),
        ("People's Daily", "peoples-daily"),
        ("U.S. News & World Report", "us-news"),
        ("US News and World Report", "us-news"),
        ("Le Monde", "le-monde"),
        ("BBC News", "bbc"),
        ("The Guardian", "guardian"),
    ];
    for (name, id) in cases {
        assert_eq!(id_of(g.by_name(name)), Some(id), "{name}");
    }
}

#[test]
fn unknown_names_and_words_resolve_to_nothing() {
    let g = Gazetteer::builtin();
    for name in [
        "",
        " ",
        "the",
        "The",
        "...",
        "Islamic State",
        "a spokesman",
        "New York",
        "the White House",
        "CNNN",
        "Reuters Reuters",
        "Times Square",
        "sources",
        // Words and abbreviations that an outlet's short name shares.
        "I",
        "Dr",
        "RT",
        "CCTV",
        "Boom",
        "Air",
        "Time",
        "People",
        "The Hill",
        "Dawn",
        "National",
    ] {
        assert!(g.by_name(name).is_none(), "{name:?} resolved to {:?}", g.by_name(name));
    }
}

#[test]
fn ambiguous_names_need_support() {
    let g = Gazetteer::builtin();
    for name in [
        "The Times",
        "Times",
        "the Post",
        "Mail",
        "the Journal",
        "Globe",
        "Star",
        "The Sun",
        "Mirror",
        "Express",
        "Independent",
        "The Telegraph",
        "ABC",
        "the Herald",
    ] {
        assert!(g.by_name(name).is_none(), "{name} resolved alone to {:?}", g.by_name(name));
        match g.lookup(name) {
            Some(NameMatch::Ambiguous(c)) => assert!(!c.is_empty(), "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    // The article's own outlet (or a full name nearby) decides.
    assert_eq!(id_of(g.by_name_supported("the Journal", &["wsj"])), Some("wsj"));
    assert_eq!(id_of(g.by_name_supported("The Times", &["the-times"])), Some("the-times"));
    assert_eq!(id_of(g.by_name_supported("The Times", &["nyt", "cnn"])), Some("nyt"));
    assert_eq!(id_of(g.by_name_supported("the Post", &["washington-post"])), Some("washington-post"));
    assert_eq!(id_of(g.by_name_supported("Mail", &["daily-mail"])), Some("daily-mail"));
    assert_eq!(id_of(g.by_name_supported("Independent", &["independent"])), Some("independent"));
    // Support for an unrelated outlet, or for two candidates at once, decides nothing.
    assert!(g.by_name_supported("The Times", &["cnn"]).is_none());
    assert!(g.by_name_supported("The Times", &["nyt", "the-times"]).is_none());
    assert!(g.by_name_supported("The Times", &[]).is_none());
    // Firm names do not need support.
    assert_eq!(id_of(g.by_name_supported("Times of London", &[])), Some("the-times"));
    // Candidates list each outlet once, in file order.
    let Some(NameMatch::Ambiguous(c)) = g.lookup("the Times") else { panic!() };
    let ids: Vec<&str> = c.iter().map(|o| o.id.as_str()).collect();
    assert!(ids.contains(&"nyt") && ids.contains(&"the-times") && ids.contains(&"la-times"), "{ids:?}");
    assert_eq!(ids.len(), ids.iter().collect::<BTreeSet<_>>().len());
}

#[test]
fn domains_match_the_longest_registered_suffix() {
    let g = Gazetteer::builtin();
    let cases = [
        ("cnn.com", Some("cnn")),
        ("edition.cnn.com", Some("cnn")),
        ("www.cnn.com", Some("cnn")),
        ("WWW.CNN.COM", Some("cnn")),
        ("cnn.com.", Some("cnn")),
        ("m.cnn.com", Some("cnn")),
        ("amp.cnn.com", Some("cnn")),
        ("news.bbc.co.uk", Some("bbc")),
        ("www.bbc.com", Some("bbc")),
        ("bbc.co.uk", Some("bbc")),
        ("factcheck.afp.com", Some("afp-fact-check")),
        ("www.afp.com", Some("afp")),
        ("timesofindia.indiatimes.com", Some("times-of-india")),
        ("economictimes.indiatimes.com", Some("economic-times")),
        ("abcnews.go.com", Some("abc-news")),
        ("abc.net.au", Some("abc-australia")),
        ("abcnews.com.co", Some("abc-news-fake")),
        ("www.abcnews.com", Some("abc-news")),
        ("people.com", Some("people")),
        ("en.people.cn", Some("peoples-daily")),
        ("theonion.com", Some("the-onion")),
        ("thedailymash.co.uk", Some("daily-mash")),
        ("worldnewsdailyreport.com", Some("world-news-daily-report")),
        ("https://www.snopes.com:443/fact-check/x", Some("snopes")),
        // Not a label boundary, a look-alike, or no outlet at all.
        ("notcnn.com", None),
        ("cnn.com.evil.example", None),
        ("cnn", None),
        ("com", None),
        ("co.uk", None),
        ("www.", None),
        ("", None),
        (".", None),
        ("..cnn..", None),
        ("example.org", None),
        ("[::1]", None),
    ];
    for (host, want) in cases {
        assert_eq!(id_of(g.by_domain(host)), want, "{host:?}");
    }
}

#[test]
fn urls_resolve_to_their_publisher() {
    let g = Gazetteer::builtin();
    let cases = [
        ("https://www.bbc.co.uk/news/world-middle-east-123", Some("bbc")),
        ("http://edition.cnn.com/2015/01/01/world/story/index.html?x=1#top", Some("cnn")),
        ("https://user:pw@www.nytimes.com:8443/2015/01/01/a.html", Some("nyt")),
        ("//www.theguardian.com/world", Some("guardian")),
        ("www.dailymail.co.uk/news/article-1.html", Some("daily-mail")),
        ("HTTPS://WWW.REUTERS.COM/article", Some("reuters")),
        ("https://web.archive.org/web/20150101000000/http://www.tmz.com/2015/01/01/x/", Some("tmz")),
        ("https://web.archive.org/web/2015/https://www.snopes.com/x", Some("snopes")),
        ("https://web.archive.org/web/2015/http:/www.snopes.com/x", Some("snopes")),
        ("https://archive.ph/2015.01.01/https://www.cnn.com/x", Some("cnn")),
        ("https://web.archive.org/web/2015/", None),
        ("https://notcnn.com/cnn.com", None),
        ("https://example.com/?u=https://www.cnn.com/", None),
        ("mailto:someone@cnn.com", None),
        ("not a url", None),
        ("", None),
    ];
    for (url, want) in cases {
        assert_eq!(id_of(g.by_url(url)), want, "{url:?}");
    }
}

#[test]
fn a_bad_file_is_reported_at_its_lines() {
    let text = "\
outlet = [
  { id = \"a\", name = \"Alpha News\", kind = \"outlet\", domains = [\"alpha.example\"] },
  { id = \"a\", name = \"Beta News\", kind = \"outlet\", domains = [\"beta.example\"] },
  { id = \"c\", name = \"Gamma\", kind = \"outlet\", domains = [\"https://gamma.example/\"] },
  { id = \"d\", name = \"Delta\", kind = \"outlet\", country = \"Deltaland\" },
  { id = \"e\", name = \"Epsilon\", kind = \"outlet\", aliases = [\"Alpha News\"] },
  { id = \"f\", name = \"Zeta\", kind = \"outlet\", domains = [\"alpha.example\"] },
]
";
    let err = Gazetteer::from_toml("my-outlets.toml", text).unwrap_err().to_string();
    assert!(err.contains("my-outlets.toml:3:"), "{err}");
    assert!(err.contains("outlet[1].id"), "{err}");
    assert!(err.contains("used twice"), "{err}");
    assert!(err.contains("my-outlets.toml:4:"), "{err}");
    assert!(err.contains("outlet[2].domains[0]"), "{err}");
    assert!(err.contains("my-outlets.toml:5:"), "{err}");
    assert!(err.contains("ISO 3166-1"), "{err}");
    assert!(err.contains("help:"), "{err}");
    // Clashes are found once the entries themselves are well formed.
    let text = "\
outlet = [
  { id = \"a\", name = \"Alpha News\", kind = \"outlet\", domains = [\"alpha.example\"] },
  { id = \"e\", name = \"Epsilon\", kind = \"outlet\", aliases = [\"The Alpha News\"] },
  { id = \"f\", name = \"Zeta\", kind = \"outlet\", domains = [\"alpha.example\"] },
  { id = \"g\", name = \"Eta\", kind = \"outlet\", ambiguous_aliases = [\"Epsilon\"] },
]
";
    let err = Gazetteer::from_toml("my-outlets.toml", text).unwrap_err().to_string();
    assert!(err.contains("my-outlets.toml:3:") && err.contains("denotes both `a`"), "{err}");
    assert!(err.contains("outlet[1].aliases[0]"), "{err}");
    assert!(err.contains("ambiguous_aliases"), "{err}");
    assert!(err.contains("my-outlets.toml:4:") && err.contains("registered by both"), "{err}");
    // A name marked ambiguous by one outlet is no clash: it becomes ambiguous for both.
    assert!(!err.contains("\"epsilon\""), "{err}");
    // Syntax and shape errors are located too.
    let err = Gazetteer::from_toml("x.toml", "outlet = [\n  { id = \"a\", nme = \"A\", kind = \"outlet\" },\n]\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("x.toml:2:") && err.contains("nme"), "{err}");
    let err = Gazetteer::from_toml("x.toml", "outlet = [\n  { id = \"a\", name = \n]\n").unwrap_err().to_string();
    assert!(err.contains("x.toml:3:"), "{err}");
}

#[test]
fn an_override_adds_replaces_and_removes_by_id() {
    let builtin = Gazetteer::builtin();
    let text = "\
remove = [\"tmz\"]
outlet = [
  { id = \"cnn\", name = \"CNN\", kind = \"state-media\", aliases = [\"Cable News Network\"], domains = [\"cnn.com\"] },
  { id = \"valley-gazette\", name = \"The Valley Gazette\", kind = \"outlet\", country = \"US\", aliases = [\"Valley Gazette\", \"VG Daily\"], domains = [\"valleygazette.example\"] },
]
";
    let g = builtin.with_override("override/outlets.toml", text).unwrap();
    assert_eq!(g.len(), builtin.len()); // one replaced, one added, one removed
    assert_eq!(g.get("cnn").map(|o| o.kind.as_str()), Some("state-media"));
    // The replacement is the whole entry: the built-in aliases and domains it does not list are gone.
    assert!(g.by_domain("edition.cnn.com").is_some()); // still a subdomain of cnn.com
    assert!(g.by_name("CNN International").is_none());
    assert_eq!(id_of(g.by_name("Valley Gazette")), Some("valley-gazette"));
    assert_eq!(id_of(g.by_url("https://www.valleygazette.example/a")), Some("valley-gazette"));
    assert!(g.get("tmz").is_none() && g.by_domain("tmz.com").is_none());
    // Everything else is the built-in gazetteer's.
    assert_eq!(id_of(g.by_name("The New York Times")), Some("nyt"));
    // The new outlet comes last; replaced ones keep their place.
    assert_eq!(g.outlets().last().map(|o| o.id.as_str()), Some("valley-gazette"));
    let pos = |g: &Gazetteer, id: &str| g.outlets().iter().position(|o| o.id == id);
    assert_eq!(pos(&g, "cnn"), pos(&builtin, "cnn"));

    // A clash with a built-in outlet, or an unknown id to remove, is located in the user's file.
    let text = "remove = [\"no-such-outlet\"]\n";
    let err = builtin.with_override("u.toml", text).unwrap_err().to_string();
    assert!(err.contains("u.toml:1:") && err.contains("no-such-outlet"), "{err}");
    let text = "outlet = [\n  { id = \"my-paper\", name = \"My Paper\", kind = \"outlet\", aliases = [\"NYT\"] },\n]\n";
    let err = builtin.with_override("u.toml", text).unwrap_err().to_string();
    assert!(err.contains("u.toml:2:") && err.contains("`nyt`") && err.contains("`my-paper`"), "{err}");
    // A file read on its own may not remove.
    assert!(Gazetteer::from_toml("u.toml", "remove = [\"cnn\"]\n").is_err());
}

#[test]
fn lexicon_overrides_reach_the_gazetteer() {
    let dir = std::env::temp_dir().join(format!("credence-gazetteer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("outlets.toml");
    std::fs::write(
        &file,
        "outlet = [\n  { id = \"harbour-herald\", name = \"Harbour Herald\", kind = \"outlet\", domains = [\"harbourherald.example\"] },\n]\n",
    )
    .unwrap();
    let lex = Lexicons::load(std::slice::from_ref(&dir)).unwrap();
    assert_eq!(id_of(lex.outlets.by_domain("news.harbourherald.example")), Some("harbour-herald"));
    assert_eq!(id_of(lex.outlets.by_name("CNN")), Some("cnn"));
    assert_eq!(lex.outlets.len(), Lexicons::builtin().outlets.len() + 1);
    // A bad entry is located in the user's file.
    std::fs::write(&file, "outlet = [\n  { id = \"Bad Id\", name = \"X\", kind = \"outlet\" },\n]\n").unwrap();
    let err = Lexicons::load(std::slice::from_ref(&file)).unwrap_err().to_string();
    assert!(err.contains("outlets.toml:2:") && err.contains("slug"), "{err}");
    std::fs::write(&file, "outlet = [\n  { id = \"x\", name = \"X\", kind = \"outlet\", colour = \"red\" },\n]\n")
        .unwrap();
    let err = Lexicons::load(std::slice::from_ref(&file)).unwrap_err().to_string();
    assert!(err.contains("outlets.toml:2:") && err.contains("colour"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn huge_and_odd_inputs_are_answered() {
    let g = Gazetteer::builtin();
    let huge = "CNN ".repeat(100_000);
    assert!(g.by_name(&huge).is_none());
    assert!(g.by_domain(&huge).is_none());
    assert!(g.by_url(&huge).is_none());
    let long_host = format!("{}.cnn.com", "a".repeat(300));
    assert!(g.by_domain(&long_host).is_none()); // longer than a host name can be
    assert_eq!(id_of(g.by_domain(&format!("{}.cnn.com", "a.".repeat(100)))), Some("cnn"));
    for s in ["ß", "İstanbul", "\u{0}", "\u{202e}cnn.com", "الجزيرة", "新华社", "cnn.com\u{301}", "'s", "&", "%%%"]
    {
        let _ = g.by_name(s);
        let _ = g.by_domain(s);
        let _ = g.by_url(s);
    }
    let nested = "https://web.archive.org/web/1/".repeat(50) + "https://www.cnn.com/";
    let _ = g.by_url(&nested);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn lookups_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let g = Gazetteer::builtin();
        let s = String::from_utf8_lossy(&bytes);
        let _ = g.by_name(&s);
        let _ = g.lookup(&s);
        let _ = g.by_name_supported(&s, &["nyt"]);
        let _ = g.by_domain(&s);
        let _ = g.by_url(&s);
    }

    #[test]
    fn text_lookups_never_panic(s in "\\PC{0,80}") {
        let g = Gazetteer::builtin();
        let _ = g.by_name(&s);
        let _ = g.by_url(&format!("https://{s}/x"));
        let _ = g.by_domain(&format!("{s}.cnn.com"));
    }

    #[test]
    fn any_file_loads_or_fails_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let s = String::from_utf8_lossy(&bytes);
        let _ = Gazetteer::from_toml("fuzz.toml", &s);
        let _ = Gazetteer::builtin().with_override("fuzz.toml", &s);
    }
}

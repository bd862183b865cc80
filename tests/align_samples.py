"""A short English news text and its German translation, sentence by sentence, for the alignment tests."""

EN = [
    "The Kremlin said on Monday that talks with NATO had reached a dead end.",
    "Peskov declined to comment.",
    "Officials in Brussels expressed disappointment at the outcome of the meeting and called for "
    "further dialogue in the coming weeks.",
    "The next round is planned for March.",
    "Analysts do not expect a breakthrough.",
]
DE = [
    "Der Kreml erklärte am Montag, die Gespräche mit der NATO seien in einer Sackgasse angelangt.",
    "Peskow lehnte einen Kommentar ab.",
    "Beamte in Brüssel zeigten sich enttäuscht über das Ergebnis des Treffens und forderten einen "
    "weiteren Dialog in den kommenden Wochen.",
    "Die nächste Runde ist für März geplant.",
    "Analysten erwarten keinen Durchbruch.",
]

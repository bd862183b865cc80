"""Function words per language: word-level evidence for short texts (used by :mod:`transnorm.detect`).

langdetect compares character n-grams; on a sentence of forty letters, close languages (es/pt/it/ca,
de/nl, da/no, cs/sk) share most of them. Their function words differ more: articles, prepositions,
pronouns, conjunctions and auxiliaries, the words that every sentence has and that each language
spells its own way (es "el, los, del, pero", pt "o, os, do, não, mas", it "il, gli, della, non",
ca "els, amb, però").

The tables are written from general knowledge of each language (grammar-book words, the most
frequent words of any text), not derived from a test corpus, so the benchmarks stay a held-out
check. A word may be in several tables; it then counts for each of those languages and says
nothing between them. Words are lower case; a word before an apostrophe keeps it (fr/it/ca ``l'``, ``d'``;
fr ``qu'``), and so does one after it (en ``'s``, ``'t``).

Latin-script languages and the four Cyrillic ones that langdetect chooses among when letters do
not decide (bg, mk, ru, uk); other scripts are narrowed by letters (``_script_data.py``).
``CUE_MARKS`` are punctuation marks that one language writes: langdetect drops every character
that is not a letter, so ``¿`` and ``¡`` are evidence it never sees.
"""

from __future__ import annotations

_WORDS: dict[str, str] = {
    "af": "die en van is het nie in op te dat met vir om aan sy hy ons was word sal ook maar nog kan wat "
    "deur na tot hulle ek uit by wees daar hierdie sê gesê toe baie al se het hier waar wel jou jy julle my hom haar hul nou net sou moet gaan dit sodat want",
    "ca": "el la els les de del dels al als i a en que és un una uns unes per amb no es seu seva seus "
    "seves com més però està estan aquest aquesta aquests aquestes va van ha han era ser molt també "
    "sobre entre sense hi quan on perquè jo ell ella ells elles ja fins des anys pot encara ho li pel "
    "pels l' d' s' n' m' tot tots totes això allò són sóc fer dels nosaltres vosaltres meu meva mateix em et ens us teu nostre vostre què qui ara aquí allà sí res cada molts moltes poc altres altre fa fer dir vaig vam hem heu he si",
    "cs": "a v na je se že to s z do o od po za pro jako ale by byl byla bylo byli jsou jeho její jejich "
    "který která které kteří také jen může při velmi když tak už není ve ze k jsem jsme bude mezi "
    "podle však ještě i jak co nebo řekl než tento tato toto bych aby si jsi nás nám vás mě mi ti ho mu jste jsi pokud ten ta ty tom těch protože kde kdy tady tam něco nic všechno všichni u před pod nad bez budou mám máš má máme mají",
    "cy": "y yr a ac i o yn ar mae ei am wedi gan bod eu fel ond hefyd roedd oedd nid dim hyn hynny "
    "gyda fe ni chi nhw ef hi byddai bydd ydy ydw sydd pan neu r mewn iawn wel hwn hon yma nawr fy dy ein eich ti fi achos felly",
    "da": "og at det som en et er af for på med til den har ikke jeg om var de vi han hun men så fra "
    "kan skal vil ved også efter når eller havde blev bliver sig dette denne der her end mod under "
    "hvor hvad være meget nu kun sin sit sine mig dig os jer deres hans hendes fik får nogle mange "
    "kommer sagde blive hvis hende ham",
    "de": "der die das und ist nicht ein eine einen einem einer dem den des mit von zu auf für sich auch "
    "es ich sie wir er wird wurde werden hat haben sind war im zum zur bei nach aus über noch wie "
    "dass daß aber oder nur schon man kein keine um vor durch sehr wenn als sein seine ihr ihre "
    "diese dieser dieses mehr gegen bis wo was hatte hatten kann muss soll will unter am vom ja nein doch so da dann denn hier dort mir mich dir dich ihm ihn uns euch ihnen mein meine dein unser bin bist seid los etwas nichts alles alle viel viele immer wieder heute morgen jetzt gibt geht worden wäre wären würde ohne zwischen sagte habe hast ins ans beim",
    "en": "the of and to in is that for it was on with as he she they are be by at this have has from "
    "not but his her an or which were will would their said been who what there we you i had can "
    "could should all about after into more than its our also when do does did these those them "
    "my me your him us no yes so if just got get am a over under up out off new how why says vs before "
    "again yet then now one two first last back only very many some any other 's 't 'll 've 're 'm 'd",
    "es": "el la los las de del y en que es un una unos unas por para con no se su sus al lo le les como "
    "más pero está están este esta estos estas ese esa fue ha han era ser muy también sobre entre "
    "sin hay cuando donde porque yo él ella ellos ellas nos ya todo todos hasta desde años dijo "
    "puede aunque otro otra después hace sido son estaba tiene mi me qué a he has hemos te tu tú mí nada cada mucho muchos muchas mucha poco otros algo así bien ahora aquí allí sí vamos va van voy cómo cuál quién eso esto usted ustedes nuestro nuestra sino u o si",
    "et": "ja on ei see et oli olid olema aga kui või ka tema nad me mis kes mida seda selle nii kuid "
    "ainult juba veel siis nüüd järgi koos pärast ole olnud võib ta oma üle ning ma sa nende",
    "fi": "ja on ei se että oli ovat olla mutta kun tai myös hän he me mitä joka jotka tämä tämän sen "
    "niin kuin vain jo vielä sitten nyt mukaan kanssa jälkeen ole ollut voi minä sinä ovat olisi en et emme ette eivät siis minun sinun hänen heidän meidän tuo nämä ne mikä kuka missä miksi koska jos vaan sekä eli sitä siitä siihen tässä aina olen olet olemme olette olivat sanoi",
    "fr": "le la les des du de un une et est dans pour que qui sur pas ne au aux avec il elle ils elles "
    "nous vous je ce cette ces son sa ses par plus été sont ont mais ou où leur se lui y en très "
    "aussi être avoir était fait comme tout dont l' d' qu' c' j' n' s' m' cet sans après avant chez a à ai as avons avez lors on mon ma mes ton ta tes notre nos votre vos leurs quoi comment pourquoi bien oui non si cela ça rien tous toutes toute quand encore déjà ici là moi toi eux sera seront peut doit avait font entre sous depuis selon autre autres alors",
    "hr": "i je u na se da za s sa su od do po iz ne bi bio bila bilo kao ali još pri koji koja koje "
    "što ima može vrlo kada kad gdje to ta taj njegov sam smo biti će ga mu te ili ovo ovaj prema "
    "nakon jer samo već ja ti on ona mi vi oni me nas vas ih im joj sve svi ovdje tamo sada nije nisu ste si bih bismo neće treba mogu rekao rekla zašto",
    "hu": "a az és hogy nem is egy van volt meg de el ez azt ami amely aki mint csak már még ki be le "
    "fel vagy nagyon lesz kell után között szerint pedig mert ha sem majd ezt",
    "id": "yang dan di ke dari ini itu dengan untuk tidak akan pada adalah dalam juga ada oleh karena "
    "atau saya kami kita mereka ia dia sudah telah bisa dapat lebih seperti tetapi tapi hanya bahwa "
    "para sebagai setelah",
    "it": "il lo la i gli le di del della dei degli delle dello e è in nel nella nei che un una uno per "
    "con non si suo sua suoi al alla ai come più ma sono questo questa stato stata ha hanno era "
    "essere molto anche tra fra senza quando dove perché io lui lei loro già da dal dalla anni può "
    "ancora ci ne sul sulla l' d' dell' all' nell' sull' dall' c' un' po' quello quella mi ti abbiamo a ad un o ho hai abbiamo avete sei siamo cosa chi quello tutto tutti poco ogni così bene ora qui sì no vi mio tuo nostro nostra se né dopo prima fa fare detto",
    "lt": "ir yra kad su į iš ne bet kaip buvo jis ji jie tai o per nuo už apie dėl po jau dar tik kuris "
    "kuri kurie arba labai bus gali savo tačiau taip prie nes mes aš",
    "lv": "un ir ka ar uz no par bet kā bija viņš viņa viņi tas tā to pēc arī vēl tikai jau kas kur "
    "kurš kura vai ļoti būs var savu savā lai pie mēs es nav",
    "nl": "de het een en van is niet dat die op te in met voor zijn er aan ook als maar om bij naar uit "
    "nog wel dan was werd wordt hij zij ze we wij ik heeft hebben worden geen door over tot kan zal "
    "deze dit meer of haar hun zou moet al waar wat mij me mijn jij je jou jouw u uw ons onze jullie hem zich nu hier daar toen alle alles iets niets veel weer zo ja nee morgen ben bent gaat gaan wil wilde moeten kunnen had hadden werden zei tegen zonder tussen na sinds onder",
    "no": "og at det som en et er av for på med til den har ikke jeg om var de vi han hun men så fra kan "
    "skal vil ved også etter når eller hadde ble blir seg dette denne der her enn mot under hvor hva "
    "være mye nå bare sin sitt sine meg deg oss dere deres hans hennes fikk får noen mange kommer "
    "sa bli hvis henne ham",
    "pl": "i w na z do się nie że to jest jak ale o od po za przez dla czy co tak już był była było są "
    "jego jej ich który która które oraz także tylko może pan ze we przy bardzo gdy tego tym jednak "
    "jako być został a nas nam was wam mnie mi ci go mu jestem jesteś jesteśmy jeśli jeżeli ten ta te tej tych aby żeby bo gdzie kiedy też więc tu tam coś nic wszystko wszyscy u przed pod nad między bez będzie będą mam masz ma mamy",
    "pt": "o a os as de do da dos das e em no na nos nas que é um uma uns umas por para com não se seu "
    "sua seus suas ao à aos às como mais mas está estão este esta isso isto foi tem têm era ser "
    "muito também sobre entre sem há quando onde porque eu ele ela eles elas já pelo pela pelos "
    "pelas até desde anos disse pode ainda você depois essa esse são estava num numa ou te tu nada cada muito muitos muitas pouco outro outros algo assim bem agora aqui ali sim vamos vai vão vou qual quem nós vocês nosso nossa lhe lhes me foram estar seja nem toda todo todos tudo",
    "ro": "și şi în de la cu pe pentru care este sunt nu un o din că se a au fost mai dar sau ce lui ei "
    "el ea acest această aceasta prin după către fi va vor poate între despre când unde foarte iar sa să si ne noi voi eu tu mă te îl îi le lor meu mea tău nostru cine cum aici acolo acum da tot toate toți fiecare mult am ai are avem aveți era fie ești suntem spus fără dintre spre până asupra",
    "sk": "a v na je sa že to s z do o od po za pre ako ale by bol bola bolo boli sú jeho jej ich ktorý "
    "ktorá ktoré ktorí tiež len môže pri veľmi keď tak už nie vo zo k som sme bude medzi podľa však "
    "ešte aj alebo povedal než tento táto toto aby si nás nám vás ma mi ti ho mu ste ak ten tá tí tom tých pretože kde kedy tu tam niečo nič všetko všetci u pred pod nad bez budú mám máš má máme majú",
    "sl": "in je da v na se za z s so ki pa po tudi ne bo bil bila bilo kot od do ali še pri iz ter saj "
    "ima lahko zelo ko kjer to ta njegov smo sem bi jaz ti on ona mi vi oni me te nas vas jih jim ji vse vsi tukaj tam zdaj že samo kako zakaj kje ker ni niso ste si bomo bodo more rekel rekla zato če",
    "so": "iyo oo ee ka ku la ay waxa wuxuu ayaa in uu u aan ah kale sida laakiin mid ama kuwa waa ugu "
    "iska ayuu si soo kala",
    "sq": "të në dhe e i për me nga që është një u ka nuk se do por si janë ishte kanë ky kjo ai ajo ata "
    "më edhe tij saj pas deri mbi duke apo ose",
    "sv": "och att det som en ett är av för på med till den har inte jag om var de vi han hon men så "
    "från kan ska skulle vid också efter när eller hade blev sig detta denna där här än mot under dem sin sitt sina nu din ditt min mitt mig dig oss vad hur vem bara mycket många några kommer sa sade bli blir vara skall får fick ju väl inga ingen alla allt",
    "sw": "na ya wa za kwa ni la katika kama hiyo hii huo ambayo lakini pia au kuwa alisema yake wake wao "
    "sisi mimi yeye hakuna sana baada kabla tu ndani zaidi cha vya hivyo",
    "tl": "ang ng sa na mga at ay si ni hindi ito iyon siya sila kami tayo ako ka ko mo niya nila para "
    "kung pero dahil may mayroon wala din rin lang lamang po nang noong kay",
    "tr": "ve bir bu da de için ile çok daha olarak olan ama gibi en ne o ki her kadar sonra var yok mi "
    "mı şu ancak değil ise veya göre tarafından şey ben biz onlar son yıl oldu olduğu bunu buna ya şimdi bile hiç çünkü eğer nasıl neden kim bana sana onu ona benim senin onun bizim ediyor etti dedi",
    "bg": "и в във на не че се с със от за е да са по как но към това този тази тези беше бяха ще "
    "който която които също след когато може има той тя те ние вие аз ти ги го му си или само вече "
    "до при няма какво много нас вас мен тук там ли нещо бил била било",
    "mk": "и во на не дека се со од за е да по како но кон ова овој оваа овие тоа беше беа ќе кој која "
    "кои исто кога може има тој таа тие ние вие јас ти ги го му си или само веќе до при нема што "
    "многу нас вас мене тука таму ли бил била било сум сме сте",
    "ru": "и в во не на что с со он она они мы вы я ты как это этот эта эти по но к у из за от о об так "
    "же для был была было были его её ее их только уже или бы который которая которые также при "
    "после когда может есть будет нас вас меня тебя мне там тут ли да нет все всё еще ещё очень "
    "чтобы если сказал нам вам свой ещё нет мой моя наш ваш тоже потому сейчас теперь здесь много",
    "uk": "і й в у не на що з із він вона вони ми ви я ти як це цей ця ці по але до від за про так для "
    "був була було були його її їх тільки вже або б який яка які також при після коли може є буде "
    "нас вас мене тебе мені там тут чи бути свого своїх та ж ще нам вам мій моя наш ваш дуже тому щоб якщо сказав зараз тепер багато",
    "vi": "của và là có không được trong cho với người những các một này đã sẽ đang để từ khi cũng như "
    "tại về nhiều đó ra đến thì mà vào nhưng năm",
}

CUE_MARKS: dict[str, str] = {"¿": "es", "¡": "es"}
"""Punctuation mark -> the language that writes it (counted like one of its function words)."""

FUNCTION_WORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _WORDS.items()}
"""ISO 639-1 code -> its function words (lower case)."""

LANGUAGES_OF_WORD: dict[str, frozenset[str]] = {}
"""Function word -> the languages whose table has it (one look-up per word of a text)."""
for _lang, _words in FUNCTION_WORDS.items():
    for _word in _words:
        LANGUAGES_OF_WORD[_word] = LANGUAGES_OF_WORD.get(_word, frozenset()) | {_lang}

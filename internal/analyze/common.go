package analyze

import (
	"slices"
	"strings"
	"sync"
)

// CommonStems returns the default common words of the pairs analyzer (see
// PairsAnalyzer): the stems of the 700 words (numbers left out) in at least
// one article in twenty of the BBC News archive of 2004-2005 (2,225
// articles in five sections), as the fused analyzer cuts them, sorted.
// These are the words of English news whose phrases are the costliest to
// find by positions: "new year" and "general election", and, since the
// list went from one article in ten (279 stems) to one in twenty, "prime
// minister", "box office", "world cup" and "interest rates". On 100,000
// generated articles the longer list took those quoted phrases from
// 2.0-4.8 ms to 0.7-1.2 ms and the bench's 45 searches 14 % down, for a
// full build 6-12 % longer (every distinct pair is a term of the segments
// a build writes and merges; docs/PERFORMANCE.md, session 35). The list is
// data: an index records the list it was built with in its mapping, and a
// phrase search reads it from there, so an index built with another list
// stays right; a new list reaches an index only when it is rebuilt, so
// schema.Version must change with it.
func CommonStems() []string { return slices.Clone(commonStems()) }

var commonStems = sync.OnceValue(func() []string { return strings.Fields(commonStemsText) })

const commonStemsText = `
abl accept access accord account accus achiev across act action activ actor ad
add admit affect age agenc ago agre ahead aim alleg allow almost alreadi also
although alway american among amount analyst announc annual anoth anti anyth
appeal appear area argu around ask associ attack attempt authoriti avail
averag avoid award away back bad bank base battl bbc beat becom begin behind
believ benefit best better bid big biggest bill bit blair board bodi book
boost boss box break bring britain british brought brown budget build business
buy call came campaign can card care career carri case cash caus centr certain
chairman challeng champion chanc chancellor chang charg charl chief children
choic citi claim clear close club co coach come comment commiss commit common
compani compar compet competit complet comput concern confer confid confirm
conservat consid consum continu control controversi cost council countri cours
court creat critic cup current custom cut damag data date david day deal debut
decemb decid decis defend deliv demand democrat deni describ design despit
detail develop devic differ difficult digit direct director discuss dollar
domin done doubl doubt download drive drop due earli earlier earn econom
economi educ effect effort eight either elect emerg end england enough ensur
estim euro europ european even event ever everi everyon evid executiv exist
expect experi extra face fact fail fall famili fan far fear featur februari
feder feel fell fight figur file film final financ financi find firm first fit
five focus follow footbal forc foreign form former forward found four fourth
franc free french friday friend full fund futur gain game general generat get
giant give given global go goal good gordon got govern great group grow growth
half hand happen hard head health held help high higher hit hold home hope
host hour hous howard howev huge idea importan impress improv includ increas
independ individu industri inform initi injuri insist instead interest
internat internet introduc invest investig involv ireland issu januari job
john join just keep key know known labour larg largest last late later latest
launch law lead leader least leav led left legal less let level liberal life
like limit line link list littl live local london long look lose loss lost lot
love low made main major make maker man manag mani march mark market martin
match matter may mean meanwhil measur media meet member men messag michael
might million minist minut miss mobil moment monday money month move movi mr
much music must name nation near need net network never new news newspap next
night noth novemb now number octob offer offic offici often old one onlin open
oper opportun order organiz origin other outsid part parti particular pass
past paul pay peopl perform period person phone pick pictur place plan play
player point polici polit poll poor popular posit possibl post potenti power
pre predict prepar present presid press pressur previous price prime privat
problem process produc product profit programm project promis propos protect
prove provid public publish push put quarter question quit race radio rais
rang rate rather reach real realli reason receiv recent record reduc relat
releas remain replac report repres research respons result return reveal right
rise risk rival robert role rose round rule run s said sale saturday save saw
say school score scotland screen season second secretari secur see seek seem
seen sell send senior sent septemb seri serious servic set seven several share
short show side sign signific similar simpli sinc singl site situat six small
softwar sold someth soon south speak special spend spent spokesman sport stage
stand standard star start state statement stay step still stock stop stori
street strong struggl success suffer suggest summer sunday support sure
surpris system take taken talk target tax team technolog televis tell term
test thing think third though thought three thursday time titl today togeth
told toni took top tori total tough track trade train tri trial tuesday turn
tv two uk understand union united us use user valu version victori video view
vote wale want war warn watch way websit wednesday week weekend well went
whether whole whose wide will william win winner within without won work world
worri wrong year yet york young
`

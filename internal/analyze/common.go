package analyze

import (
	"slices"
	"strings"
	"sync"
)

// CommonStems returns the default common words of the pairs analyzer (see
// PairsAnalyzer): the stems of the 279 words (numbers left out) in at least
// one article in ten of the BBC News archive of 2004-2005 (2,225 articles
// in five sections), sorted. These are the words of English news whose
// phrases are the costliest to find by positions ("new year", "general
// election"). Pairs of the 701 words in one article in twenty would cover
// "prime minister" and "interest rates" too, at twice the indexing cost
// (+15 % of a full build's time against +7 %, on 10,000 generated
// articles: every distinct pair is a term of the segments a build writes
// and merges). The list is data: an index records
// the list it was built with in its mapping, and a phrase search reads it
// from there, so an index built with another list stays right; a new list
// reaches an index only when it is rebuilt, so schema.Version must change
// with it.
func CommonStems() []string { return slices.Clone(commonStems()) }

var commonStems = sync.OnceValue(func() []string { return strings.Fields(commonStemsText) })

const commonStemsText = `
abl accord action ad ahead allow alreadi also although analyst announc anoth
appear around ask away back base bbc becom believ best better big biggest
britain british business call came campaign can case chanc chang charg chief
claim clear close come compani concern continu control cost countri creat
current cut day deal decis demand despit develop differ director due earli
earlier elect end england europ european even everi executiv expect face far
figur film final find firm first five follow forc former found four futur
game general get give given go good got govern great group growth half hand
happen hard head help high hit hold home hope howev huge importan includ
increas industri interest internat issu januari job just keep know labour
last later launch lead leader less level life like line live london long
look lost lot made major make manag mani mark market match may mean meet
member michael million minist money month move mr much music name nation
need never new news next now number offer offic offici old one open oper
part parti past pay peopl perform person place plan play player point posit
possibl power presid previous price problem produc product programm provid
public put reach real realli receiv recent record releas remain report
respons result return right rise rule run said sale say second secur see
seen servic set share show side sign sinc six spokesman star start state
still strong success suggest support system take talk team technolog term
thing think third thought three time told took top trade tri turn two uk us
use want warn way websit week well went whether will win without won work
world year yet
`

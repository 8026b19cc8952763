// Frequent passwords from public breach corpora (top of the SecLists "10k most common" list and
// the Chinese CSDN/Tianya leaks), lower-cased. A password equal to one of these, or one of these
// followed by up to four digits or symbols, is refused.
const list = `
123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball abc123
football monkey letmein 696969 shadow master 666666 qwertyuiop 123321 mustang 1234567890 michael
654321 superman 1qaz2wsx 7777777 121212 000000 qazwsx 123qwe killer trustno1 jordan jennifer zxcvbnm
asdfgh hunter buster soccer harley batman andrew tigger sunshine iloveyou 2000 charlie robert thomas
hockey ranger daniel starwars klaster 112233 george computer michelle jessica pepper 1111 zxcvbn 555555
11111111 131313 freedom 777777 pass maggie 159753 aaaaaa ginger princess joshua cheese amanda summer
love ashley nicole chelsea biteme matthew access yankees 987654321 dallas austin thunder taylor
matrix admin administrator welcome login passw0rd p@ssw0rd p@ssword password1 qwerty123 abc12345
a123456 123456a 5201314 woaini woaini1314 1314520 aa123456 qq123456 wang123 zhang123 li123456 88888888
66666666 a1234567 iloveyou1 admin123 root toor test test123 guest changeme secret demo demo2020
q1w2e3r4 q1w2e3r4t5 1q2w3e4r 1q2w3e4r5t zaq12wsx asdf1234 qwer1234 abcd1234 abcdefg abcdef
password123 welcome1 letmein1 sunshine1 princess1 football1 monkey1 charlie1 aa12345678 a12345678
iloveu caonima nihao woaini520 147258369 147258 123654 987654 qweasd qweasdzxc 1qazxsw2 aaaaaaaa
pacesetter aluminium aluminum chalco shanxi
`;

export const commonPasswords: ReadonlySet<string> = new Set(list.split(/\s+/).filter(Boolean));

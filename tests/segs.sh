# Sourced by the Linux comparisons: the segments a trace says were sent,
# without their times ("C>S S seq=0 len=0"), one a line.
segs() {
	awk '$1 == "SEG" && $NF == "sent" {
		line = $3; for (i = 4; i < NF; i++) line = line " " $i; print line }'
}

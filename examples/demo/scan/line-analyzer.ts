/** Reads the lines of one or more files, one at a time, and sums them up at the end. */
export interface LineAnalyzer<Summary> {
  /** Called before the first line of each file. */
  startFile(file: string): void;
  addLine(line: string, file: string): void;
  finish(): Summary;
}

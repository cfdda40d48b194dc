export interface SheetRows {
  name: string;
  rows: string[][];
}
export function writeFormWorkbook(sheets: SheetRows[], file: string): Promise<void>;
export function readFormWorkbook(file: string): Promise<SheetRows[]>;

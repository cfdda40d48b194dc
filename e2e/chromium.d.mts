export declare const chromiumPath: string;
export declare const quietChromiumFlags: readonly string[];

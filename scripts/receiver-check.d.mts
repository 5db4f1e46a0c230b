export declare function checkDelivery(
  secret: string | undefined,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): { verified: boolean | null; status: number; event?: unknown; reason?: string };

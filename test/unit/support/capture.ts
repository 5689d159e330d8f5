/** What the process writes to stdout and stderr (where the Powertools logger writes) while `act` runs. */
export async function captureOutput<T>(act: () => Promise<T> | T): Promise<{ result: T; text: string }> {
  const out: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    }),
  );
  try {
    const result = await act();
    return { result, text: out.join('') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

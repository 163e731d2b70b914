/**
 * A field path as apimachinery's field.Path prints it: `spec.containers[0].image`,
 * `metadata.labels`, `data[key.name]`. Paths are immutable; each step returns a new one.
 */
export class FieldPath {
  private constructor(private readonly text: string) {}

  static root(...names: string[]): FieldPath {
    return new FieldPath('').child(...names);
  }

  child(...names: string[]): FieldPath {
    let text = this.text;
    for (const name of names) text = text ? `${text}.${name}` : name;
    return new FieldPath(text);
  }

  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  key(key: string): FieldPath {
    return new FieldPath(`${this.text}[${key}]`);
  }

  toString(): string {
    return this.text;
  }
}
